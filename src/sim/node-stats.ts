import type { SimNodeStats } from "./types.ts";

export type PortKind = "rest" | "rpc" | "sse" | "p2p" | SidecarPortKind;
export type SidecarPortKind = "sidecarSse" | "sidecarRest" | "sidecarAdmin";

type Requests = SimNodeStats["requests"];

const USER_AGENTS_KEPT = 20;

/**
 * Per-node counters the tests and benchmarks read back: how much load each port took and how
 * much concurrency the checker really used (its connection limiter is judged by maxInFlight).
 */
export class NodeStats {
  private readonly withSidecar: boolean;
  private requests: Requests;
  private inFlight = 0;
  private maxInFlight = 0;
  /** Distinct, most recent last; one chatty prober must not push the other vantages out. */
  private userAgents: string[] = [];
  /** JSON-RPC calls by method, and the bytes of the answers sent: what a probe costs the node. */
  private rpcMethods: Record<string, number> = {};
  private rpcBytes = 0;

  /** `withSidecar`: also count the sidecar's three ports (other nodes' stats keep their shape). */
  constructor(withSidecar = false) {
    this.withSidecar = withSidecar;
    this.requests = this.zero();
  }

  /** Counts a request or connection as open; call the returned function once it closes (extra calls are ignored). */
  begin(port: PortKind, userAgent?: string): () => void {
    this.requests[port] = (this.requests[port] ?? 0) + 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (userAgent !== undefined) this.rememberUserAgent(userAgent);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
    };
  }

  /** Counts one JSON-RPC call and its answer's size. */
  rpcCall(method: string, bytes: number): void {
    this.rpcMethods[method] = (this.rpcMethods[method] ?? 0) + 1;
    this.rpcBytes += bytes;
  }

  snapshot(): SimNodeStats {
    return {
      requests: { ...this.requests },
      rpcMethods: { ...this.rpcMethods },
      rpcBytes: this.rpcBytes,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      userAgents: [...this.userAgents],
    };
  }

  /** Clears counters; what is open right now stays open, so it is the new maximum's floor. */
  reset(): void {
    this.requests = this.zero();
    this.rpcMethods = {};
    this.rpcBytes = 0;
    this.maxInFlight = this.inFlight;
    this.userAgents = [];
  }

  private zero(): Requests {
    const base = { rest: 0, rpc: 0, sse: 0, p2p: 0 };
    return this.withSidecar ? { ...base, sidecarSse: 0, sidecarRest: 0, sidecarAdmin: 0 } : base;
  }

  private rememberUserAgent(userAgent: string): void {
    const seen = this.userAgents.indexOf(userAgent);
    if (seen !== -1) this.userAgents.splice(seen, 1);
    this.userAgents.push(userAgent);
    if (this.userAgents.length > USER_AGENTS_KEPT) this.userAgents.shift();
  }
}
