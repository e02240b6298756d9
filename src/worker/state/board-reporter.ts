import type { Incident } from "../../core/state/incident.ts";
import type { Env } from "../env.ts";
import type { MonitorTransition, MonitorView, ShardReport, VantageTransition } from "./shard-report.ts";

/**
 * What a state object owes the status board: the transitions and incidents since its last report,
 * sent with the shard's current views. Only what the board confirmed is forgotten, so a failed
 * report is retried with the next one.
 */
export class BoardReporter {
  private transitions: MonitorTransition[] = [];
  private incidents: Incident[] = [];
  private vantageTransitions: VantageTransition[] = [];
  /** When the last full report reached the board (0: not since this object started). */
  lastReportAt = 0;
  /** When latency series last reached the board (0: not since this object started). */
  lastLatencyAt = 0;
  /**
   * One report at a time: two running at once would both carry the transitions not yet confirmed,
   * and the board would record them twice (measured under overload: one monitor's `up` 11 times).
   */
  private queue: Promise<void> = Promise.resolve();

  transition(t: MonitorTransition): void {
    this.transitions.push(t);
  }

  incident(i: Incident): void {
    this.incidents.push(i);
  }

  vantageTransition(t: VantageTransition): void {
    this.vantageTransitions.push(t);
  }

  /** Sends a report once the one before it settled; `views` is asked for then, so it is current. */
  report(
    env: Env,
    shard: string,
    views: () => { monitors: MonitorView[]; full: boolean },
    now: number,
    latency?: { series: NonNullable<ShardReport["latency"]>; partial: boolean },
  ): Promise<void> {
    const send = async () => {
      const { monitors, full } = views();
      const report: ShardReport = {
        shard,
        at: now,
        full,
        monitors,
        ...(latency ? { latency: latency.series, latencyPartial: latency.partial } : {}),
        transitions: this.transitions,
        incidents: this.incidents,
        vantageTransitions: this.vantageTransitions,
      };
      await env.BOARD.getByName("global").update(report);
      this.transitions = this.transitions.slice(report.transitions.length);
      this.incidents = this.incidents.slice(report.incidents.length);
      this.vantageTransitions = this.vantageTransitions.slice(report.vantageTransitions?.length ?? 0);
      if (full) this.lastReportAt = now;
      if (latency && !latency.partial) this.lastLatencyAt = now;
    };
    const next = this.queue.then(send, send);
    this.queue = next.catch(() => {});
    return next;
  }
}
