import type { SimMemberStats } from "../types.ts";

const USER_AGENTS_KEPT = 20;

/**
 * Per-member counters for the non-Casper members, keyed by port name: requests (or connections)
 * per port, what is open now and its peak, and the most recent distinct User-Agents.
 */
export class MemberStats<P extends string> {
  private readonly ports: readonly P[];
  private requests: Record<string, number>;
  private inFlight = 0;
  private maxInFlight = 0;
  private userAgents: string[] = [];

  constructor(ports: readonly P[]) {
    this.ports = ports;
    this.requests = MemberStats.zero(ports);
  }

  /** Counts a request or connection as open; call the returned function once it closes. */
  begin(port: P, userAgent?: string): () => void {
    this.requests[port] = (this.requests[port] ?? 0) + 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (userAgent !== undefined) {
      const seen = this.userAgents.indexOf(userAgent);
      if (seen !== -1) this.userAgents.splice(seen, 1);
      this.userAgents.push(userAgent);
      if (this.userAgents.length > USER_AGENTS_KEPT) this.userAgents.shift();
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
    };
  }

  snapshot(): SimMemberStats {
    return {
      requests: { ...this.requests },
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      userAgents: [...this.userAgents],
    };
  }

  reset(): void {
    this.requests = MemberStats.zero(this.ports);
    this.maxInFlight = this.inFlight;
    this.userAgents = [];
  }

  private static zero(ports: readonly string[]): Record<string, number> {
    return Object.fromEntries(ports.map((p) => [p, 0]));
  }
}
