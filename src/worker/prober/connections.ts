import type { InFlight } from "../../core/start-order.ts";

/**
 * The connections one prober object holds open, shared by its scheduled tick and any forced run
 * (admin "probe now", a confirmation), so together they stay within the per-invocation limit.
 * Whoever waits for a free connection is woken when any is released.
 */
export class Connections implements InFlight {
  total = 0;
  suspects = 0;
  private readonly waiters = new Set<() => void>();

  take(suspect: boolean): void {
    this.total++;
    if (suspect) this.suspects++;
  }

  release(suspect: boolean): void {
    this.total--;
    if (suspect) this.suspects--;
    for (const wake of [...this.waiters]) wake();
  }

  /** Calls `wake` at the next release; returns the way to stop listening. */
  onRelease(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }
}
