/**
 * The simulated fleet's public shape, shared by the fleet itself (Node), the control client
 * (runs in workerd tests too), the demo launcher and the benchmarks.
 */
export type SimVersion = "1.5" | "2.0";

export interface SimPorts {
  rest: number;
  rpc: number;
  sse: number;
  p2p: number;
  /** Casper 2.0 event sidecar (only for specs with `sidecar: true`): SSE 19999, REST 18888, admin 18887. */
  sidecarSse?: number;
  sidecarRest?: number;
  sidecarAdmin?: number;
}

export const FAULTS = [
  "healthy",
  "stalled",
  "lagging",
  "catchup",
  "slow",
  "refusing",
  "hung",
  /** Accepts every connection and resets it at once (RST): the port is open, nothing is served. */
  "reset",
  /** Headers at once, then the body a byte every `delayMs` and never finished (an app stuck mid-response). */
  "drip",
  "garbage",
  "huge",
  "endless-sse",
  "rpc-error",
  "upgrade",
  "wrong-chain",
  /** Sidecar ports refuse while the node itself is healthy. */
  "sidecar-down",
  /** Sidecar is up but has lost its node (node_statuses 3, /block frozen). */
  "sidecar-disconnected",
  /** REST /metrics answers 500 `metrics not available`. */
  "metrics-unavailable",
] as const;
export type FaultName = (typeof FAULTS)[number];

export interface FaultSpec {
  fault: FaultName;
  /** lagging: blocks behind the fleet's network height (default 20). */
  lagBlocks?: number;
  /** slow: added to every response's time to first byte (default 3000); drip: between body bytes. */
  delayMs?: number;
  /** huge: body size in bytes (default 16 MiB). */
  hugeBytes?: number;
  /** Apply the fault only to requests whose User-Agent contains this (per-vantage faults). */
  userAgentContains?: string;
}

export interface SimNodeSpec {
  id: string;
  version: SimVersion;
  /** chainspec_name reported; default "casper-sim". */
  chainName?: string;
  /** Block interval; default 4000 ms. */
  blockTimeMs?: number;
  /** Height at fleet start; default 1000. */
  startHeight?: number;
  /** Fixed ports (demo); 0 or absent = ephemeral (tests). */
  ports?: Partial<SimPorts>;
  fault?: FaultSpec;
  /** Connected peers reported in /status (default 5). */
  peers?: number;
  /** Also run a Casper event sidecar in front of this node (2.0 layout). */
  sidecar?: boolean;
  /** SSE keep-alive comment after this much silence on a stream (default 15000, like warp). */
  keepAliveMs?: number;
  /** The validator key this node runs (`our_public_signing_key`); default derived from its id. */
  validatorKey?: string;
  /** Its stake, in units of the synthetic validators' smallest (default 4). */
  validatorWeight?: number;
  /** Its status from the start (default active; see CasperValidatorSet). */
  validatorStatus?: "active" | "silent" | "cannot-propose" | "faulty" | "banned" | "removed" | "evicting";
  /** The network's auction beside its nodes (default 5 validators, no delegators). */
  auction?: { validators: number; delegators: number };
}

export interface SimNodeInfo {
  id: string;
  version: SimVersion;
  chainName: string;
  host: string;
  ports: SimPorts;
  fault: FaultSpec;
  height: number;
  blockTimeMs: number;
}

export interface SimNodeStats {
  /** The sidecar counters are present only on nodes that run a sidecar. */
  requests: {
    rest: number;
    rpc: number;
    sse: number;
    p2p: number;
    sidecarSse?: number;
    sidecarRest?: number;
    sidecarAdmin?: number;
  };
  /** JSON-RPC calls by method (port 7777), and the bytes of their answers. */
  rpcMethods: Record<string, number>;
  rpcBytes: number;
  inFlight: number;
  maxInFlight: number;
  userAgents: string[];
}

export interface FleetInfo {
  controlUrl: string;
  /** Casper nodes. */
  nodes: SimNodeInfo[];
  /**
   * The other members, by kind. Optional so a provider that passes only Casper nodes still fits;
   * `FleetControl.info()` always returns them.
   */
  nano?: SimNanoInfo[];
  chia?: SimChiaInfo[];
  json?: SimJsonInfo[];
}

// ---------------------------------------------------------------------------------------------
// Nano, Chia and generic endpoints. A layout entry with `kind` is one of these; without it, a
// Casper node (SimNodeSpec). Their faults are their own lists: each member kind fails in the
// ways its real counterpart does.

/** Faults of a simulated Nano node and the NanoRPCProxy in front of it. */
export const NANO_FAULTS = [
  "healthy",
  /** cemented count frozen where it was */
  "stalled",
  /** cemented count `lagBlocks` behind the network (default 50000) */
  "lagging",
  /** every answer (RPC, proxy, WebSocket pong) `delayMs` late (default 3000) */
  "slow",
  /** every port closed */
  "refusing",
  /** requests accepted, never answered; WebSocket upgraded, then silent */
  "hung",
  /** RPC and proxy answer an nginx 502 page with status 200; WebSocket answers non-JSON */
  "garbage",
  /** node reports another network (beta instead of live, live otherwise) */
  "wrong-network",
  /** proxy answers every request 429 `Max allowed requests of 5000 reached…` */
  "rate-limited",
  /** proxy refuses `action` (default version) with 500 `Action version not allowed` */
  "action-blocked",
] as const;
export type NanoFaultName = (typeof NANO_FAULTS)[number];

export interface NanoFaultSpec {
  fault: NanoFaultName;
  lagBlocks?: number;
  delayMs?: number;
  /** action-blocked: the RPC action the proxy refuses (default "version"). */
  action?: string;
  userAgentContains?: string;
}

export type NanoNetwork = "live" | "beta" | "test" | "dev";

export interface SimNanoPorts {
  /** The node's own RPC (7076): every path, errors as HTTP 200 `{"error": …}`. */
  rpc: number;
  /** NanoRPCProxy (9950), path /proxy: allowed actions, 30 s block_count cache, 429/500 errors. */
  proxy: number;
  /** The node's WebSocket (7078). */
  ws: number;
}

export interface SimNanoSpec {
  kind: "nano";
  id: string;
  /** Network reported by `version` (default live). */
  network?: NanoNetwork;
  /** Node version as in node_vendor, e.g. "V27.1" (default). */
  nodeVersion?: string;
  /** Cemented count at fleet start (default 200000000). */
  startCemented?: number;
  /** Confirmation rate of the network (default 5 blocks/s). */
  blocksPerSec?: number;
  /** Peers the node reports (default 40; 0 = isolated). */
  peers?: number;
  /** Proxy cache for block_count in seconds (default 30, as NanoRPCProxy ships). */
  cacheSec?: number;
  /** Proxy cache for representatives_online in seconds (default 300, as NanoRPCProxy ships). */
  onlineCacheSec?: number;
  /** The representative this node runs, joining its network's representatives (control: PUT /validators/{account}). */
  representative?: { account: string; weightNano: number; online?: boolean };
  /** Proxy allowed_commands (default: NanoRPCProxy's settings.json.default list). */
  allowedActions?: string[];
  ports?: Partial<SimNanoPorts>;
  fault?: NanoFaultSpec;
}

export interface SimNanoInfo {
  kind: "nano";
  id: string;
  host: string;
  ports: SimNanoPorts;
  fault: NanoFaultSpec;
  network: NanoNetwork;
  /** Cemented count the node reports right now (direct RPC, no cache). */
  cemented: number;
  /** The healthy network's cemented count right now. */
  networkCemented: number;
  blocksPerSec: number;
  cacheSec: number;
}

/** Faults of a Chia full node's peer port: TCP only (the TLS/WebSocket handshake is the agent's). */
export const CHIA_FAULTS = [
  "healthy",
  /** port closed */
  "refusing",
  /** connections accepted and held open, nothing ever answered */
  "hung",
] as const;
export type ChiaFaultName = (typeof CHIA_FAULTS)[number];

export interface ChiaFaultSpec {
  fault: ChiaFaultName;
}

export interface SimChiaSpec {
  kind: "chia";
  id: string;
  ports?: { peer?: number };
  fault?: ChiaFaultSpec;
}

export interface SimChiaInfo {
  kind: "chia";
  id: string;
  host: string;
  ports: { peer: number };
  fault: ChiaFaultSpec;
}

/** Faults of a generic JSON HTTP endpoint. */
export const JSON_FAULTS = [
  "healthy",
  /** answers `delayMs` late (default 3000) */
  "slow",
  /** 200 with an nginx HTML error page */
  "garbage",
  /** port closed */
  "refusing",
  /** 503 `{"status":"DOWN"}` */
  "down",
  /** accepted, never answered */
  "hung",
  /** the configured body (or JSON-RPC result) with its values changed: strings "wrong", numbers 0, lists empty, booleans flipped */
  "wrong-values",
] as const;
export type JsonFaultName = (typeof JSON_FAULTS)[number];

export interface JsonFaultSpec {
  fault: JsonFaultName;
  delayMs?: number;
  userAgentContains?: string;
}

export interface SimJsonSpec {
  kind: "json";
  id: string;
  /** Path served (default /health); other paths 404. */
  path?: string;
  /** Status of a healthy answer (default 200). */
  status?: number;
  /** Body of a healthy answer (default {"status":"UP"}). */
  body?: unknown;
  /** JSON-RPC 2.0 results by method, answered to POSTs on `path` (id echoed; unknown methods -32601). */
  rpc?: Record<string, unknown>;
  ports?: { http?: number };
  fault?: JsonFaultSpec;
  /**
   * Whether a connection may carry another request after the answer (default true). False answers
   * with `Connection: close`, as a server without keep-alive does: no idle connection outlives
   * its request, so thousands of endpoints do not hold a checker's file descriptors between probes.
   */
  keepAlive?: boolean;
}

export interface SimJsonInfo {
  kind: "json";
  id: string;
  host: string;
  ports: { http: number };
  fault: JsonFaultSpec;
  path: string;
}

/** Any entry of a fleet layout: a Casper node (no `kind`) or one of the other members. */
export type FleetSpec = SimNodeSpec | SimNanoSpec | SimChiaSpec | SimJsonSpec;
export type SimMemberInfo = SimNanoInfo | SimChiaInfo | SimJsonInfo;
export type AnyFaultSpec = FaultSpec | NanoFaultSpec | ChiaFaultSpec | JsonFaultSpec;

/** Counters of a non-Casper member, per port name (nano: rpc, proxy, ws; chia: peer; json: http). */
export interface SimMemberStats {
  requests: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  userAgents: string[];
}
