import { DurableObject } from "cloudflare:workers";
import type { Region } from "../../core/config/regions.ts";
import type { Monitor } from "../../core/config/schema.ts";
import { ActiveTime, type ActiveTotals } from "../../core/cost/active-time.ts";
import { type DueProbe, nextDue, takeDue } from "../../core/due.ts";
import { slotAt, slotClock } from "../../core/schedule.ts";
import { addValue, emptySketch, type Sketch } from "../../core/sketch.ts";
import { ON_TIME_TOLERANCE_MS, type StartWindow, StartWindows } from "../../core/start-window.ts";
import { monitorsForProber } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { CountingSql } from "../storage/sql.ts";
import type { ProbeJob, ProbeOrder } from "./run-job.ts";

interface ProberIdentity {
  region: Region;
  shard: number;
}

export interface ProberStats extends Counters {
  since?: number;
  /** Time with any handler running (alarms, probe-now calls, the watchdog's), spans counted once. */
  active: ActiveTotals;
  region?: Region;
  shard?: number;
  rowsWritten: number;
  lastTickAt?: number;
  nextAlarmAt?: number | null;
}

interface SavedSlots {
  slots: Record<string, number>;
  at: number;
  since?: number;
  counters?: Partial<Counters>;
  rowsWritten?: number;
  active?: ActiveTotals;
}

/** What the prober counts of its hand-offs (the probes' own starts are counted where they arrive). */
interface Counters {
  ticks: number;
  /** Probes handed to a runner, forced ones included. */
  probes: number;
  /** Scheduled probes handed over in the slot right after their last one. */
  onTime: number;
  /** Scheduled probes handed over more than ON_TIME_TOLERANCE_MS after their slot began. */
  lateStarts: number;
  /** Hand-off minus slot start of every scheduled probe (ms), and the largest. */
  lateness: Sketch;
  maxLateMs: number;
  /** Wall-clock time from alarm start to alarm end, per scheduled tick (ms): what duration bills. */
  tickActive: Sketch;
  /** Hand-offs the runner refused or never took (their probes did not run). */
  failedHandoffs: number;
  /** "Probe now" and confirmation calls (each a Durable Object request, like an alarm). */
  forcedRuns: number;
  /** Scheduled probes too long for a dispatched job, run while the prober waits (and is billed). */
  heldProbes: number;
}

const emptyCounters = (): Counters => ({
  ticks: 0,
  probes: 0,
  onTime: 0,
  lateStarts: 0,
  lateness: emptySketch(),
  maxLateMs: 0,
  tickActive: emptySketch(),
  failedHandoffs: 0,
  forcedRuns: 0,
  heldProbes: 0,
});

/** A late alarm by more than this counts as missing for the watchdog. */
export const ALARM_GRACE_MS = 90_000;
/**
 * The slots row is written at most this often (with the counters riding in it), not every tick:
 * a tick's row was half of all rows written. After a restart, each monitor's slot in progress
 * counts as probed, so a row up to this old can cost one skipped slot, never a second probe.
 */
export const SLOTS_SAVE_MS = 60_000;
/**
 * A dispatched job runs after its call returns, which the platform allows for 30 s, and its last
 * probe starts up to a window and a lead (5.5 s) after the hand-off: a probe whose timeout is
 * longer than this runs in a job the prober waits for (active, and billed, meanwhile).
 */
export const DISPATCH_MAX_TIMEOUT_MS = 20_000;
/** An alarm never comes sooner than this after the last one ended. */
const MIN_ALARM_GAP_MS = 250;

/**
 * One prober per region and shard, placed with a location hint: the schedule. Its alarm takes
 * the monitors whose slot has come and hands them to a runner (ProbeRunner, a plain invocation of
 * this Worker through a service binding), which probes them and delivers the results; the prober
 * only sets its next alarm. It is active for the milliseconds a hand-off takes, not for as long
 * as a target takes to answer.
 */
export class ProberDO extends DurableObject<Env> {
  private readonly db: CountingSql;
  private identity?: ProberIdentity;
  private lastSlots: Record<string, number> = {};
  private lastTickAt?: number;
  private lastSavedAt = 0;
  private counters: Counters = emptyCounters();
  /** Scheduled hand-offs per minute, for the watchdog's "behind its schedule" (memory only). */
  private readonly windows = new StartWindows(Date.now());
  /** A scheduled tick is running: an alarm firing meanwhile (re-armed by a forced run) leaves it be. */
  private ticking = false;
  /** First tick ever, for rates; kept with the slots. */
  private since?: number;
  private active = new ActiveTime();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = new CountingSql(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => {
      this.db.run("CREATE TABLE IF NOT EXISTS prober (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
      let saved: SavedSlots | undefined;
      for (const row of this.db.all<{ k: string; v: string }>("SELECT k, v FROM prober")) {
        if (row.k === "identity") this.identity = JSON.parse(row.v);
        if (row.k === "slots") saved = JSON.parse(row.v);
      }
      if (saved) this.restore(saved, Date.now());
    });
  }

  private restore(saved: SavedSlots, now: number): void {
    this.lastSlots = saved.slots;
    this.lastTickAt = saved.at;
    this.lastSavedAt = saved.at;
    if (saved.counters) this.counters = { ...emptyCounters(), ...saved.counters };
    this.since = saved.since;
    this.active = new ActiveTime(saved.active);
    this.db.rowsWritten += saved.rowsWritten ?? 0;
    // The row may predate probes handed over since: the slot in progress counts as done.
    for (const m of this.myMonitors()) {
      const last = this.lastSlots[m.id];
      if (last === undefined) continue;
      this.lastSlots[m.id] = Math.max(last, slotAt(slotClock(m.id, m.intervalSec), now));
    }
  }

  private myMonitors(): Monitor[] {
    if (!this.identity) return [];
    try {
      return monitorsForProber(loadConfig(this.env), this.identity.region, this.identity.shard);
    } catch {
      return [];
    }
  }

  /** Tells the object which region and shard it serves (its name alone is not readable inside). */
  async identify(region: Region, shard: number): Promise<void> {
    if (this.identity?.region === region && this.identity.shard === shard) return;
    this.identity = { region, shard };
    this.db.run(
      "INSERT INTO prober (k, v) VALUES ('identity', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
      JSON.stringify(this.identity),
    );
  }

  /** Called by the cron watchdog: learn who we are, and re-arm a missing or late alarm. */
  async ensureArmed(
    region: Region,
    shard: number,
  ): Promise<{ rearmed: boolean; lastTickAt?: number; lastMinute?: StartWindow }> {
    return this.active.around(() => this.arm(region, shard));
  }

  private async arm(
    region: Region,
    shard: number,
  ): Promise<{ rearmed: boolean; lastTickAt?: number; lastMinute?: StartWindow }> {
    await this.identify(region, shard);
    const alarm = await this.ctx.storage.getAlarm();
    const now = Date.now();
    const late = alarm !== null && alarm < now - ALARM_GRACE_MS;
    const lastMinute = this.windows.lastComplete(now);
    if (alarm === null || late) {
      await this.ctx.storage.setAlarm(now);
      return { rearmed: true, lastTickAt: this.lastTickAt, lastMinute };
    }
    return { rearmed: false, lastTickAt: this.lastTickAt, lastMinute };
  }

  override async alarm(): Promise<void> {
    if (this.ticking) return; // the running tick sets the next alarm when it ends
    this.ticking = true;
    const began = Date.now();
    try {
      await this.active.around(() => this.run());
    } finally {
      this.ticking = false;
      addValue(this.counters.tickActive, Date.now() - began);
    }
  }

  /** Counts a scheduled hand-off. */
  private countDue(d: DueProbe, now: number): void {
    const c = this.counters;
    const late = d.lateMs > ON_TIME_TOLERANCE_MS;
    // Judged on consecutive slots only: a first start lands anywhere in its slot, and a start after
    // a gap (a restart, a silent alarm) is the silent-prober check's business.
    if (d.consecutive) this.windows.add(now, d.lateMs, late);
    if (d.consecutive) c.onTime++;
    if (late) c.lateStarts++;
    addValue(c.lateness, d.lateMs);
    c.maxLateMs = Math.max(c.maxLateMs, d.lateMs);
  }

  /**
   * Probe the monitors whose slot has come. `force` probes them regardless of slot ("probe now"
   * for admins and tests, confirmations), limited to `only` when given, and waits for their results
   * to be delivered; a scheduled tick only hands its probes over.
   */
  async tick(
    opts: { force?: boolean; only?: string[] } = {},
  ): Promise<{ probed: number; nextAlarmAt: number | null }> {
    return this.active.around(() => this.run(opts));
  }

  private async run(
    opts: { force?: boolean; only?: string[] } = {},
  ): Promise<{ probed: number; nextAlarmAt: number | null }> {
    if (!this.identity) return { probed: 0, nextAlarmAt: null };
    const { region } = this.identity;
    const monitors = this.myMonitors();
    if (monitors.length === 0) {
      await this.ctx.storage.deleteAlarm(); // a shard retired by a config change
      return { probed: 0, nextAlarmAt: null };
    }

    const now = Date.now();
    let orders: ProbeOrder[];
    if (opts.force) {
      // Out of schedule: no slot taken, so the next scheduled probe still runs.
      const only = opts.only;
      const chosen = only ? monitors.filter((m) => only.includes(m.id)) : monitors;
      orders = chosen.map((m) => ({ monitorId: m.id, scheduledAt: now, handedAt: now, forced: true }));
      this.counters.forcedRuns++;
    } else {
      const due = takeDue(monitors, this.lastSlots, now);
      for (const d of due) this.countDue(d, now);
      const order = (d: DueProbe) => ({ monitorId: d.monitor.id, scheduledAt: d.scheduledAt, handedAt: now });
      orders = due.filter((d) => d.monitor.timeoutMs <= DISPATCH_MAX_TIMEOUT_MS).map(order);
      const long = due.filter((d) => d.monitor.timeoutMs > DISPATCH_MAX_TIMEOUT_MS).map(order);
      if (long.length > 0) this.ctx.waitUntil(this.handOver({ region, orders: long }, true));
      this.counters.probes += long.length;
      this.counters.heldProbes += long.length;
      this.lastTickAt = now;
      this.counters.ticks++;
    }
    this.counters.probes += orders.length;
    const probed = await this.handOver({ region, orders }, opts.force === true);

    this.since ??= now;
    this.saveSlots(monitors, now);
    const after = Date.now();
    const nextAlarmAt = Math.max(nextDue(monitors, this.lastSlots, after), after + MIN_ALARM_GAP_MS);
    await this.ctx.storage.setAlarm(nextAlarmAt);
    return { probed, nextAlarmAt };
  }

  /** A forced job is waited for (its caller wants the results in); a scheduled one is not. */
  private async handOver(job: ProbeJob, wait: boolean): Promise<number> {
    if (job.orders.length === 0) return 0;
    try {
      if (wait) return (await this.env.RUNNER.run(job)).probed;
      return (await this.env.RUNNER.dispatch(job)).accepted;
    } catch (e) {
      this.counters.failedHandoffs++;
      console.error(
        JSON.stringify({
          event: "handoff_failed",
          region: job.region,
          probes: job.orders.length,
          error: String(e),
        }),
      );
      return 0;
    }
  }

  /** The slots and counters, at most once per SLOTS_SAVE_MS (and on the first tick). */
  private saveSlots(monitors: readonly Monitor[], now: number): void {
    if (now - this.lastSavedAt < SLOTS_SAVE_MS) return;
    const known = new Set(monitors.map((m) => m.id));
    for (const id of Object.keys(this.lastSlots)) if (!known.has(id)) delete this.lastSlots[id];
    const saved: SavedSlots = {
      slots: this.lastSlots,
      at: now,
      since: this.since,
      counters: this.counters,
      rowsWritten: this.db.rowsWritten + 1,
      active: this.active.read(),
    };
    this.db.run(
      "INSERT INTO prober (k, v) VALUES ('slots', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
      JSON.stringify(saved),
    );
    this.lastSavedAt = now;
  }

  async stats(): Promise<ProberStats> {
    return {
      ...this.identity,
      ...this.counters,
      since: this.since,
      active: this.active.read(),
      rowsWritten: this.db.rowsWritten,
      lastTickAt: this.lastTickAt,
      nextAlarmAt: await this.ctx.storage.getAlarm(),
    };
  }
}
