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
}

export const FAULTS = [
  "healthy",
  "stalled",
  "lagging",
  "catchup",
  "slow",
  "refusing",
  "hung",
  "garbage",
  "huge",
  "endless-sse",
  "rpc-error",
  "upgrade",
  "wrong-chain",
] as const;
export type FaultName = (typeof FAULTS)[number];

export interface FaultSpec {
  fault: FaultName;
  /** lagging: blocks behind the fleet's network height (default 20). */
  lagBlocks?: number;
  /** slow: added to every response's time to first byte (default 3000). */
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
  /** SSE keep-alive comment after this much silence on a stream (default 15000, like warp). */
  keepAliveMs?: number;
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
  requests: { rest: number; rpc: number; sse: number; p2p: number };
  inFlight: number;
  maxInFlight: number;
  userAgents: string[];
}

export interface FleetInfo {
  controlUrl: string;
  nodes: SimNodeInfo[];
}
