/**
 * Wall-clock time an object spends with at least one handler running: what Durable Object
 * duration is billed for (an object with nothing running may hibernate and is not billed).
 * Overlapping handlers count once; `spans` is how many separate active stretches there were.
 */
export interface ActiveTotals {
  activeMs: number;
  spans: number;
}

export class ActiveTime {
  private open = 0;
  private since = 0;
  private totals: ActiveTotals;

  constructor(saved: Partial<ActiveTotals> = {}) {
    this.totals = { activeMs: saved.activeMs ?? 0, spans: saved.spans ?? 0 };
  }

  enter(now: number): void {
    if (this.open++ === 0) this.since = now;
  }

  leave(now: number): void {
    if (this.open === 0) return;
    if (--this.open === 0) {
      this.totals.activeMs += Math.max(0, now - this.since);
      this.totals.spans++;
    }
  }

  /**
   * The closed stretches. A stretch still running is left out: each request has its own clock in
   * workerd, so a reading taken from another request could put it ahead of where it ends.
   */
  read(): ActiveTotals {
    return { ...this.totals };
  }

  /** Runs `work` as an active stretch (joined with any already running). */
  async around<T>(work: () => Promise<T>, clock: () => number = Date.now): Promise<T> {
    this.enter(clock());
    try {
      return await work();
    } finally {
      this.leave(clock());
    }
  }
}
