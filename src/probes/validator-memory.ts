/**
 * What validator probes keep between runs, in the isolate's memory (the Worker's prober object,
 * the agent's process): auction answers per era and proposal tallies. Losing it (a restart) costs
 * one more auction read and restarts the tally, which then judges nothing until it has read
 * enough blocks: a restart can delay a warning, never raise one.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    // Oldest first out: Map keeps insertion order, and set() re-inserts.
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
