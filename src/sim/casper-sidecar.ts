import type { IncomingMessage, ServerResponse } from "node:http";
import type { BlockRef } from "./casper-chain.ts";
import { buildApiVersionEvent, buildBlockAddedEvent } from "./casper-payloads.ts";
import { SseHub, type SseSource } from "./casper-sse.ts";
import { closesSidecarListeners, cutsSidecarLink, effectiveFault, HEALTHY } from "./faults.ts";
import { createFaultyHttpServer, type PortFault, sendJson, sendText } from "./http-port.ts";
import type { RequestScope, SimNodeContext } from "./node-context.ts";
import { TrackedListener } from "./tracked-listener.ts";
import type { FaultSpec, SimPorts } from "./types.ts";

/** The sidecar release the simulator claims to be (its USAGE.md example, reference/CHAINS.md A.4). */
export const SIDECAR_VERSION = "1.1.0";
/** How the sidecar's own connection to its node introduces itself; per-vantage faults can target it. */
export const SIDECAR_USER_AGENT = `casper-sidecar/${SIDECAR_VERSION}`;

/** node_statuses gauge values (casper-sidecar metrics/src/sse.rs). */
const CONNECTED = 2;
const RECONNECTING = 3;

/** event_sidecar sse_server.rs create_404 with legacy filters off: its text names /events/main even so. */
const BAD_PATH = "invalid path: expected '/events/main' or '/events/sidecar'\n";
const NODE_STATUSES_HELP =
  "Current status of node to which sidecar is connected. Numbers mean: 0 - preparing; 1 - connecting; " +
  "2 - connected; 3 - reconnecting; -1 - connections_exhausted -> used up all connection attempts ; " +
  "-2 - incompatible -> node is in an incompatible version";
/** A BlockAdded of the simulated chain is about this size on the wire. */
const BLOCK_EVENT_BYTES = 1500;
const RECEIVED_BYTES_BUCKETS = [500, 1000, 2000, 5000, 50_000, 500_000, 5_000_000, 50_000_000];
const RESIDENT_MEMORY_BYTES = 48_562_176;

export type SidecarPortName = "sidecarSse" | "sidecarRest" | "sidecarAdmin";
const PORT_NAMES: readonly SidecarPortName[] = ["sidecarSse", "sidecarRest", "sidecarAdmin"];

export interface SidecarOptions {
  host: string;
  /** Fixed ports (0 = ephemeral). */
  ports: Partial<Pick<SimPorts, SidecarPortName>>;
  /** The node's SSE port, for the `node` label of node_statuses. */
  nodeSsePort: () => number;
  /** The node's fault as set, per-vantage scoping included. */
  fault: () => FaultSpec;
}

/**
 * Which part of a request's fault the sidecar's own ports apply: `sidecar-down` (reset, for a
 * per-vantage one; a node-wide one closes the listeners), and what the machine or its proxy does
 * to every HTTP port (slow, garbage, huge). The node's own faults reach the sidecar only through
 * its link to the node.
 */
const sidecarPortFault: PortFault = (fault) => {
  switch (fault.fault) {
    case "sidecar-down":
      return { ...fault, fault: "refusing" };
    case "slow":
    case "garbage":
    case "huge":
      return fault;
    default:
      return HEALTHY;
  }
};

function sidecarModeFor(fault: FaultSpec) {
  switch (fault.fault) {
    case "garbage":
      return "garbage" as const;
    case "huge":
      return "huge" as const;
    case "sidecar-down":
      return "reset" as const;
    default:
      return "events" as const;
  }
}

/**
 * The Casper 2.0 event sidecar in front of a simulated node (reference/CHAINS.md A.7): SSE like
 * :19999 (`/events` relays the node's stream, `/events/sidecar` carries only SidecarVersion),
 * REST like :18888 (`/block`, `/status`) and admin like :18887 (`/metrics`).
 *
 * It derives everything from its node. When the node becomes unreachable (refusing, hung) or the
 * `sidecar-disconnected` fault cuts the link, the sidecar stays up but shows what a real one does
 * while it reconnects: node_statuses 3, `/block` frozen at the last block it received, `/events`
 * silent apart from keep-alives. When the link returns it relays the node's ApiVersion again and
 * catches up on the missed blocks.
 */
export class SimSidecar {
  readonly listeners: Record<SidecarPortName, TrackedListener>;
  private readonly node: SimNodeContext;
  private readonly host: string;
  private readonly requestedPorts: SidecarOptions["ports"];
  private readonly nodeSsePort: () => number;
  private readonly currentSpec: () => FaultSpec;
  private readonly hub: SseHub;
  /** The last block received before the link was cut; undefined while no fault cuts it. */
  private frozen: BlockRef | undefined;
  private linkLosses = 0;

  constructor(node: SimNodeContext, options: SidecarOptions) {
    this.node = node;
    this.host = options.host;
    this.requestedPorts = options.ports;
    this.nodeSsePort = options.nodeSsePort;
    this.currentSpec = options.fault;
    this.hub = new SseHub(node, this.sseSource());
    const server = (port: SidecarPortName, handler: Parameters<typeof createFaultyHttpServer>[2]) =>
      new TrackedListener(createFaultyHttpServer(node, port, handler, sidecarPortFault), options.host);
    this.listeners = {
      sidecarSse: server("sidecarSse", this.hub.handle),
      sidecarRest: server("sidecarRest", this.restHandler),
      sidecarAdmin: server("sidecarAdmin", this.adminHandler),
    };
  }

  get ports(): Pick<SimPorts, SidecarPortName> {
    return {
      sidecarSse: this.listeners.sidecarSse.port,
      sidecarRest: this.listeners.sidecarRest.port,
      sidecarAdmin: this.listeners.sidecarAdmin.port,
    };
  }

  /** Binds the ports, then applies the node's fault at start (a cut link has been cut for 10 minutes). */
  async start(spec: FaultSpec): Promise<void> {
    for (const name of PORT_NAMES) {
      const listener = this.listeners[name];
      await listener.listen(listener.port || this.requestedPorts[name] || 0);
    }
    if (this.linkMayBeCut(spec)) {
      this.frozen = this.node.chain.stalledBeforeStart();
      this.linkLosses = 1;
    }
    if (closesSidecarListeners(spec)) await this.closeListeners();
  }

  /**
   * The node's fault switched from `previous` to `next`; `lastBlock` is the block the sidecar had
   * received just before. Freezes or releases /block, reconnects (ApiVersion again) and opens or
   * closes the sidecar's ports.
   */
  async onFaultChanged(previous: FaultSpec, next: FaultSpec, lastBlock: BlockRef): Promise<void> {
    if (!this.linkMayBeCut(next)) {
      this.frozen = undefined;
    } else if (this.frozen === undefined) {
      this.frozen = lastBlock;
      this.linkLosses += 1;
    } else if (!this.cutForAll(previous) && this.cutForAll(next)) {
      // Cut for one vantage until now, for everyone from now: the others saw the link until
      // this moment, so /block must not go back to where that vantage's view stopped.
      this.frozen = lastBlock;
    }
    const wasCut = (ua: string | undefined) => !this.linkedFor(previous, ua);
    const reconnected = (ua: string | undefined) => wasCut(ua) && this.linkedFor(next, ua);
    this.hub.announce(buildApiVersionEvent(this.node), reconnected);
    this.hub.onFaultChanged();
    if (closesSidecarListeners(next)) await this.closeListeners();
    else
      for (const name of PORT_NAMES) {
        const listener = this.listeners[name];
        await listener.listen(listener.port);
      }
  }

  onNewBlock(): void {
    this.hub.onNewBlock();
  }

  async stop(): Promise<void> {
    this.hub.closeAll();
    await this.closeListeners();
  }

  /** node_statuses as a client with this User-Agent sees it. */
  nodeStatus(userAgent: string | undefined): number {
    return this.linkedFor(this.currentSpec(), userAgent) ? CONNECTED : RECONNECTING;
  }

  /** The newest block the sidecar has for a client with this User-Agent. */
  blockFor(userAgent: string | undefined): BlockRef {
    const nodeView = this.node.scopeFor(SIDECAR_USER_AGENT).block;
    if (this.linkedFor(this.currentSpec(), userAgent)) return nodeView;
    return this.frozen ?? nodeView;
  }

  private async closeListeners(): Promise<void> {
    await Promise.all(PORT_NAMES.map((name) => this.listeners[name].close()));
  }

  /** Whether, under `spec`, the sidecar has its node as a client with this User-Agent sees it. */
  private linkedFor(spec: FaultSpec, userAgent: string | undefined): boolean {
    if (cutsSidecarLink(effectiveFault(spec, SIDECAR_USER_AGENT))) return false;
    return effectiveFault(spec, userAgent).fault !== "sidecar-disconnected";
  }

  /** Whether `spec` cuts the link for every client. */
  private cutForAll(spec: FaultSpec): boolean {
    return (
      cutsSidecarLink(effectiveFault(spec, SIDECAR_USER_AGENT)) ||
      (spec.fault === "sidecar-disconnected" && spec.userAgentContains === undefined)
    );
  }

  /** Whether `spec` cuts the link for anyone, so the last block must be kept. */
  private linkMayBeCut(spec: FaultSpec): boolean {
    return cutsSidecarLink(effectiveFault(spec, SIDECAR_USER_AGENT)) || spec.fault === "sidecar-disconnected";
  }

  private sseSource(): SseSource {
    return {
      kindOf: (pathname) =>
        pathname === "/events" ? "main" : pathname === "/events/sidecar" ? "sidecar" : undefined,
      badPath: BAD_PATH,
      modeFor: sidecarModeFor,
      // Every client gets SidecarVersion first, but /events filters it out (sse_server.rs
      // EVENTS_FILTER): there the node's ApiVersion, as last received, comes first.
      greeting: (kind) =>
        kind === "sidecar" ? [{ SidecarVersion: SIDECAR_VERSION }] : [buildApiVersionEvent(this.node)],
      heightFor: (userAgent) => this.blockFor(userAgent).height,
    };
  }

  /**
   * :18888: `GET /block` (latest), `GET /status`, `GET /faults/<public key>` (the stored Fault
   * events of a validator, 404 when there are none); anything else is the sidecar's 400.
   */
  private readonly restHandler = (req: IncomingMessage, res: ServerResponse, _scope: RequestScope): void => {
    req.resume();
    const path = new URL(req.url ?? "/", "http://sim").pathname;
    if (req.method === "GET" && path === "/block") {
      const { height } = this.blockFor(req.headers["user-agent"]);
      sendJson(res, 200, buildBlockAddedEvent(this.node, height).BlockAdded);
    } else if (req.method === "GET" && path === "/status") {
      sendJson(res, 200, { version: SIDECAR_VERSION });
    } else if (req.method === "GET" && /^\/faults\/0[12][0-9a-fA-F]{64,66}$/.test(path)) {
      const { height } = this.blockFor(req.headers["user-agent"]);
      const key = path.slice("/faults/".length);
      const faults = this.node.validators.faults(key, height, (h) => this.node.chain.producedAt(h));
      if (faults.length === 0) sendJson(res, 404, { code: 404, message: "Query returned no data" });
      else sendJson(res, 200, faults);
    } else {
      sendJson(res, 400, { code: 400, message: "Invalid request path provided" });
    }
  };

  /** :18887: `GET /metrics`, as the prometheus crate's TextEncoder writes it (families sorted by name). */
  private readonly adminHandler = (req: IncomingMessage, res: ServerResponse, _scope: RequestScope): void => {
    req.resume();
    const path = new URL(req.url ?? "/", "http://sim").pathname;
    if (req.method !== "GET" || path !== "/metrics") {
      sendText(res, 404, "");
      return;
    }
    sendText(res, 200, this.metricsText(req.headers["user-agent"]), "text/plain; version=0.0.4");
  };

  private metricsText(userAgent: string | undefined): string {
    const lines: string[] = [];
    if (this.linkLosses > 0) {
      // The prometheus crate prints a labelled counter only once it has been touched. The label
      // values are the simulator's own; the real categories are not documented.
      lines.push(
        "# HELP error_counts Error counts",
        "# TYPE error_counts counter",
        `error_counts{category="connection_manager",description="node connection lost"} ${this.linkLosses}`,
      );
    }
    lines.push(
      `# HELP node_statuses ${NODE_STATUSES_HELP}`,
      "# TYPE node_statuses gauge",
      `node_statuses{node="${this.host}:${this.nodeSsePort()}"} ${this.nodeStatus(userAgent)}`,
    );
    const relayed = Math.max(0, this.blockFor(userAgent).height - this.node.chain.startHeight);
    const label = 'message_type="BlockAdded"';
    lines.push(
      "# HELP sse_server_received_bytes Received bytes from SSE inbound per message type",
      "# TYPE sse_server_received_bytes histogram",
      ...RECEIVED_BYTES_BUCKETS.map(
        (le) =>
          `sse_server_received_bytes_bucket{${label},le="${le}"} ${le >= BLOCK_EVENT_BYTES ? relayed : 0}`,
      ),
      `sse_server_received_bytes_bucket{${label},le="+Inf"} ${relayed}`,
      `sse_server_received_bytes_sum{${label}} ${relayed * BLOCK_EVENT_BYTES}`,
      `sse_server_received_bytes_count{${label}} ${relayed}`,
      "# HELP process_resident_memory_bytes Resident memory size in bytes.",
      "# TYPE process_resident_memory_bytes gauge",
      `process_resident_memory_bytes ${RESIDENT_MEMORY_BYTES}`,
    );
    return `${lines.join("\n")}\n`;
  }
}
