import type { ProbeRecord } from "../../core/records.ts";

/**
 * Hands results to the state objects as probes finish, not when a tick's slowest probe does.
 * Results finishing close together travel together (each delivery is a Durable Object request and
 * a stored row): a result waits at most `gatherMs`, or until nothing else is still running.
 * One delivery at a time, in order; a failed delivery is logged and its results dropped, like a
 * probe that never ran (the next slot probes again).
 */
export class Courier {
  private pending: ProbeRecord[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private chain: Promise<void> = Promise.resolve();
  private readonly deliver: (records: ProbeRecord[]) => Promise<void>;
  private readonly gatherMs: number;

  constructor(deliver: (records: ProbeRecord[]) => Promise<void>, gatherMs: number) {
    this.deliver = deliver;
    this.gatherMs = gatherMs;
  }

  /** A finished probe's record; `idle` when no other probe is still running. */
  push(record: ProbeRecord, idle: boolean): void {
    this.pending.push(record);
    if (idle) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.gatherMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(async () => {
      try {
        await this.deliver(batch);
      } catch (e) {
        console.error(JSON.stringify({ event: "delivery_failed", records: batch.length, error: String(e) }));
      }
    });
  }

  /** Delivers what is left and waits for every delivery to end. */
  async drain(): Promise<void> {
    this.flush();
    await this.chain;
  }
}
