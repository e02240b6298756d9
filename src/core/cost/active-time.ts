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

  /** The totals, a stretch still running included up to `now`. */
  read(now: number): ActiveTotals {
    const running = this.open > 0 ? Math.max(0, now - this.since) : 0;
    return { activeMs: this.totals.activeMs + running, spans: this.totals.spans + (this.open > 0 ? 1 : 0) };
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
