import type { Monitor } from "../core/config/schema.ts";
import { runLimited } from "../core/limiter.ts";
import type { ProbeRecord } from "../core/records.ts";
import type { ProbeResult } from "../core/result.ts";
import { isDue, slotAt, slotClock, slotStart } from "../core/schedule.ts";
import { MissingSecretError, resolveHeaders } from "../core/secrets.ts";
import type { Logger } from "./log.ts";
import { runAgentProbe } from "./probes/registry.ts";

export interface SchedulerOptions {
  vantage: string;
  userAgent: string;
  maxInFlight: number;
  monitors: () => Monitor[];
  onRecord: (record: ProbeRecord) => Promise<void>;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** How often due monitors are looked for. */
  tickMs?: number;
}

/**
 * The Worker's slot schedule, run from the agent: each monitor owns slot n = floor((t − phase) /
 * interval) with the same hashed phase (core/schedule.ts), runs once per slot, and a slot missed
 * while the agent was down is not replayed. Due monitors start at once, at most maxInFlight per
 * tick (core/limiter.ts); a monitor still running is not started again. Each result is handed to
 * onRecord (the spool) as soon as its probe ends.
 */
export class Scheduler {
  private readonly o: SchedulerOptions;
  private readonly lastSlots = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly stop = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(options: SchedulerOptions) {
    this.o = options;
  }

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 500);
  }

  /** Starts every due monitor; returns the started batch's promise (tests, --once). */
  tick(now = Date.now(), force = false): Promise<unknown> {
    if (this.stop.signal.aborted) return Promise.resolve();
    const due = this.o.monitors().filter((m) => {
      if (this.running.has(m.id)) return false;
      return force || isDue(slotClock(m.id, m.intervalSec), this.lastSlots.get(m.id), now);
    });
    if (due.length === 0) return Promise.resolve();
    for (const m of due) {
      this.running.add(m.id);
      this.lastSlots.set(m.id, slotAt(slotClock(m.id, m.intervalSec), now));
    }
    const work = runLimited(due, this.o.maxInFlight, (m) => this.probe(m)).finally(() =>
      this.inFlight.delete(work),
    );
    this.inFlight.add(work);
    return work;
  }

  private async probe(monitor: Monitor): Promise<void> {
    const clock = slotClock(monitor.id, monitor.intervalSec);
    const checkedAt = Date.now();
    const slot = slotAt(clock, checkedAt);
    try {
      const result = await this.run(monitor);
      if (this.stop.signal.aborted && result.error?.message.includes("aborted by caller")) return;
      const record: ProbeRecord = {
        monitorId: monitor.id,
        vantage: this.o.vantage,
        scheduledAt: slotStart(clock, slot),
        checkedAt,
        result,
      };
      await this.o.onRecord(record);
      this.o.log.debug("probe", {
        monitorId: monitor.id,
        ok: result.ok,
        latencyMs: result.latencyMs,
        error: result.error?.kind,
      });
    } catch (err) {
      this.o.log.error("record_failed", { monitorId: monitor.id, error: (err as Error).message });
    } finally {
      this.running.delete(monitor.id);
    }
  }

  private async run(monitor: Monitor): Promise<ProbeResult> {
    let headers: Record<string, string> = {};
    try {
      if ("headers" in monitor.check)
        headers = resolveHeaders(monitor.check.headers, this.o.env ?? process.env);
    } catch (e) {
      if (e instanceof MissingSecretError) {
        return {
          ok: false,
          latencyMs: 0,
          error: { kind: "internal", message: e.message.replace("is not set", "is not set on the agent") },
        };
      }
      throw e;
    }
    return runAgentProbe(
      monitor.check,
      { timeoutMs: monitor.timeoutMs, userAgent: this.o.userAgent, headers },
      this.stop.signal,
    );
  }

  /** Stops scheduling; probes in flight get `graceMs` to finish (their results are kept). */
  async shutdown(graceMs: number): Promise<void> {
    clearInterval(this.timer);
    const all = Promise.allSettled([...this.inFlight]);
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    if (timedOut) {
      this.stop.abort(new DOMException("agent shutting down", "AbortError"));
      await all;
    } else {
      this.stop.abort(new DOMException("agent shutting down", "AbortError"));
    }
  }
}
