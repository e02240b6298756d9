/**
 * Block-time facts per chain and protocol version (reference/CHAINS.md A.5). Freshness and
 * stall thresholds default to a multiple of the slowest normal block interval, so a healthy
 * node never trips them and a stopped one does within a few blocks.
 */
export interface BlockTimeProfile {
  /** Slowest interval a healthy chain produces blocks at. */
  maxBlockTimeSec: number;
}

/** Casper 1.x Highway adapts 16.4–66 s; 2.0 Zug ≈16.4 s; 2.1 ≈8 s. */
export function casperBlockTime(apiVersion: string | undefined): BlockTimeProfile {
  const m = /^(\d+)\.(\d+)/.exec(apiVersion ?? "");
  const major = m ? Number(m[1]) : 1;
  const minor = m ? Number(m[2]) : 5;
  if (major >= 3 || (major === 2 && minor >= 1)) return { maxBlockTimeSec: 8 };
  if (major === 2) return { maxBlockTimeSec: 16.4 };
  return { maxBlockTimeSec: 66 };
}

/** How many slow block intervals may pass before a node counts as stale or stalled. */
export const STALE_BLOCK_MULTIPLE = 4;
