/**
 * The Nano network's progress as the simulator models it. Nano has no blocks in a row and no
 * block time (CHAINS.md B.5): what moves is the cemented count, at the network's confirmation
 * rate. Every node of a fleet shares t0, so healthy nodes agree on the count.
 */
export interface NanoLedgerOptions {
  t0: number;
  startCemented: number;
  blocksPerSec: number;
}

/** What `block_count` reports, as numbers (the RPC sends them as strings). */
export interface NanoCounts {
  count: number;
  unchecked: number;
  cemented: number;
}

export class NanoLedger {
  readonly t0: number;
  readonly startCemented: number;
  readonly blocksPerSec: number;

  constructor(options: NanoLedgerOptions) {
    this.t0 = options.t0;
    this.startCemented = options.startCemented;
    this.blocksPerSec = options.blocksPerSec;
  }

  /** The healthy network's cemented count at `now`, minus `lag` (never below 0). */
  cementedAt(now: number, lag = 0): number {
    const grown = Math.floor((Math.max(0, now - this.t0) * this.blocksPerSec) / 1000);
    return Math.max(0, this.startCemented + grown - lag);
  }

  /**
   * A node's counts around a cemented count: a few blocks received but not yet cemented, and a
   * small unchecked backlog that wobbles, as on a node in sync.
   */
  countsAt(cemented: number): NanoCounts {
    return { count: cemented + 3 + (cemented % 5), unchecked: 8 + (cemented % 7), cemented };
  }
}
