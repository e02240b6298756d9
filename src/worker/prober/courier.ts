import type { ProbeRecord, ShedProbe } from "../../core/records.ts";
import type { GroupOutcome } from "./run-job.ts";

/**
 * Hands results to the state objects as probes finish, not when a tick's slowest probe does.
 * Results finishing close together travel together (each delivery is a Durable Object request and
 * a stored row): a failure waits at most `gatherMs` (it may need confirming: an alert waits for
 * it), a success until `holdUntil` too (the job's last start, plus `gatherMs`: a window's probes
 * start over 5 s), and nothing waits once no probe is still running. One delivery at a time, in
 * order; a failed delivery is logged and its results dropped, like a probe that never ran (the next
 * slot probes again). Skipped probes ride with the next delivery (at the latest the job's last).
 */
export class Courier {
  private pending: ProbeRecord[] = [];
  private pendingShed: ShedProbe[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private deadline = Number.POSITIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();
  private readonly deliver: (outcome: GroupOutcome) => Promise<void>;
  private readonly gatherMs: number;
  private readonly holdUntil: number;

  constructor(deliver: (outcome: GroupOutcome) => Promise<void>, gatherMs: number, holdUntil = 0) {
    this.deliver = deliver;
    this.gatherMs = gatherMs;
    this.holdUntil = holdUntil;
  }

  /** A finished probe's record; `idle` when no other probe is still running. */
  push(record: ProbeRecord, idle: boolean): void {
    this.pending.push(record);
    if (idle) {
      this.flush();
      return;
    }
    const now = Date.now();
    const due = record.result.ok ? Math.max(now + this.gatherMs, this.holdUntil) : now + this.gatherMs;
    if (due >= this.deadline) return;
    clearTimeout(this.timer);
    this.deadline = due;
    this.timer = setTimeout(() => this.flush(), due - now);
  }

  /** Probes skipped (not run): they need no confirming, so they wait for the next delivery. */
  skipped(shed: readonly ShedProbe[]): void {
    this.pendingShed.push(...shed);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.deadline = Number.POSITIVE_INFINITY;
    if (this.pending.length === 0 && this.pendingShed.length === 0) return;
    const batch: GroupOutcome = { records: this.pending, shed: this.pendingShed };
    this.pending = [];
    this.pendingShed = [];
    this.chain = this.chain.then(async () => {
      try {
        await this.deliver(batch);
      } catch (e) {
        console.error(
          JSON.stringify({
            event: "delivery_failed",
            records: batch.records.length,
            shed: batch.shed.length,
            error: String(e),
          }),
        );
      }
    });
  }

  /** Delivers what is left and waits for every delivery to end. */
  async drain(): Promise<void> {
    this.flush();
    await this.chain;
  }
}
