import { DurableObject } from "cloudflare:workers";
import type { Region } from "../../core/config/regions.ts";
import type { Config } from "../../core/config/schema.ts";
import type { ProbeRecord } from "../../core/records.ts";
import { nextDueAt, slotClock } from "../../core/schedule.ts";
import { addValue, emptySketch, type Sketch } from "../../core/sketch.ts";
import { type StartWindow, StartWindows } from "../../core/start-window.ts";
import { monitorsForProber, proberName, stateShardOf } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import { type ProbeNow, proberProbeNow, requestConfirmations } from "../confirm.ts";
import type { Env } from "../env.ts";
import type { ConfirmRequest } from "../state/confirmations.ts";
import { CountingSql } from "../storage/sql.ts";
import { Connections } from "./connections.ts";
import { probeOne } from "./probe-one.ts";
import { ON_TIME_TOLERANCE_MS, runTick, type StartSample } from "./tick-loop.ts";

interface ProberIdentity {
  region: Region;
  shard: number;
}

export interface ProberStats extends Counters {
  since?: number;
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
}

interface Counters {
  ticks: number;
  probes: number;
  onTime: number;
  /** Probes that started more than ON_TIME_TOLERANCE_MS after their slot began. */
  lateStarts: number;
  /** Start minus slot start of every scheduled probe (ms), and the largest. */
  lateness: Sketch;
  maxLateMs: number;
  /** Of the lateness, the time due probes waited for a free connection (ms), and the longest. */
  queueWait: Sketch;
  maxQueueMs: number;
}

const emptyCounters = (): Counters => ({
  ticks: 0,
  probes: 0,
  onTime: 0,
  lateStarts: 0,
  lateness: emptySketch(),
  maxLateMs: 0,
  queueWait: emptySketch(),
  maxQueueMs: 0,
});

/** A late alarm by more than this counts as missing for the watchdog. */
export const ALARM_GRACE_MS = 90_000;

/**
 * One prober per region and shard, placed with a location hint. Its alarm runs the monitors whose
 * interval slot has come, hands the results in one batch per state object, remembers the slots
 * (one row per tick, not per probe) and sets the alarm for the next due monitor.
 */
export class ProberDO extends DurableObject<Env> {
  private readonly db: CountingSql;
  private identity?: ProberIdentity;
  private lastSlots: Record<string, number> = {};
  private lastTickAt?: number;
  private counters: Counters = emptyCounters();
  /** Monitors whose last probe timed out; memory only (after a restart every monitor starts clean). */
  private readonly suspects = new Set<string>();
  private readonly connections = new Connections();
  /** Scheduled starts per minute, for the watchdog's "behind its schedule" (memory only). */
  private readonly windows = new StartWindows(Date.now());
  /** A scheduled tick is running: an alarm firing meanwhile (re-armed by a forced run) leaves it be. */
  private ticking = false;
  /** First tick ever, for rates; kept with the slots. */
  private since?: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = new CountingSql(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => {
      this.db.run("CREATE TABLE IF NOT EXISTS prober (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
      for (const row of this.db.all<{ k: string; v: string }>("SELECT k, v FROM prober")) {
        if (row.k === "identity") this.identity = JSON.parse(row.v);
        if (row.k === "slots") {
          const saved: SavedSlots = JSON.parse(row.v);
          this.lastSlots = saved.slots;
          this.lastTickAt = saved.at;
          if (saved.counters) this.counters = { ...emptyCounters(), ...saved.counters };
          this.since = saved.since;
          this.db.rowsWritten += saved.rowsWritten ?? 0;
        }
      }
    });
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
    try {
      await this.tick();
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Probe the monitors whose slot has come. `force` probes them regardless of slot ("probe now"
   * for admins and tests), limited to `only` when given.
   */
  /** Counts a probe as it starts (the tick loop tells), not when its tick ends. */
  private countStart(sample: StartSample): void {
    const c = this.counters;
    c.probes++;
    if (sample.forced) return;
    // Judged on consecutive slots only: a first start lands anywhere in its slot, and a start after
    // a gap (a restart, a silent alarm) is the silent-prober check's business.
    if (sample.consecutive) this.windows.add(Date.now(), sample.lateMs, sample.lateMs > ON_TIME_TOLERANCE_MS);
    if (sample.onTime) c.onTime++;
    if (sample.lateMs > ON_TIME_TOLERANCE_MS) c.lateStarts++;
    addValue(c.lateness, sample.lateMs);
    c.maxLateMs = Math.max(c.maxLateMs, sample.lateMs);
    addValue(c.queueWait, sample.queueMs);
    c.maxQueueMs = Math.max(c.maxQueueMs, sample.queueMs);
  }

  async tick(
    opts: { force?: boolean; only?: string[] } = {},
  ): Promise<{ probed: number; nextAlarmAt: number | null }> {
    if (!this.identity) return { probed: 0, nextAlarmAt: null };
    const { region, shard } = this.identity;
    const config = loadConfig(this.env);
    const monitors = monitorsForProber(config, region, shard);
    if (monitors.length === 0) {
      await this.ctx.storage.deleteAlarm(); // a shard retired by a config change
      return { probed: 0, nextAlarmAt: null };
    }

    const now = Date.now();
    const candidates = opts.only ? monitors.filter((m) => opts.only?.includes(m.id)) : monitors;
    // A forced run must not start a monitor a running tick has queued: it works on its own copy.
    const lastSlots = opts.force ? { ...this.lastSlots } : this.lastSlots;
    const run = await runTick(
      {
        monitors: candidates,
        lastSlots,
        suspects: this.suspects,
        limit: config.scheduler.maxInFlight,
        connections: this.connections,
        force: opts.force,
      },
      {
        vantage: region,
        probe: (m) => probeOne(m, region, this.env),
        deliver: (records) => this.deliver(records, config),
        started: (sample) => this.countStart(sample),
      },
    );
    if (opts.force)
      for (const m of candidates)
        if (lastSlots[m.id] !== undefined) this.lastSlots[m.id] = lastSlots[m.id] as number;
    const known = new Set(monitors.map((m) => m.id));
    for (const id of Object.keys(this.lastSlots)) if (!known.has(id)) delete this.lastSlots[id];
    this.lastTickAt = now;
    this.counters.ticks++;
    // The counters ride along in the row written anyway, so they survive eviction for free.
    this.since ??= now;
    const saved: SavedSlots = {
      slots: this.lastSlots,
      at: now,
      since: this.since,
      counters: this.counters,
      rowsWritten: this.db.rowsWritten + 1,
    };
    this.db.run(
      "INSERT INTO prober (k, v) VALUES ('slots', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
      JSON.stringify(saved),
    );

    const after = Date.now();
    const next = Math.min(
      ...monitors.map((m) => nextDueAt(slotClock(m.id, m.intervalSec), this.lastSlots[m.id], after)),
    );
    const nextAlarmAt = Math.max(next, after + 250);
    await this.ctx.storage.setAlarm(nextAlarmAt);
    return { probed: run.probed, nextAlarmAt };
  }

  private async deliver(records: ProbeRecord[], config: Config): Promise<void> {
    if (records.length === 0 || !this.identity) return;
    const byShard = new Map<string, ProbeRecord[]>();
    const byId = new Map(config.monitors.map((m) => [m.id, m]));
    for (const r of records) {
      const monitor = byId.get(r.monitorId);
      if (!monitor) continue;
      const shard = stateShardOf(monitor);
      byShard.set(shard, [...(byShard.get(shard) ?? []), r]);
    }
    const vantage = this.identity.region;
    const answers = await Promise.all(
      [...byShard].map(([name, batch]) =>
        this.env.STATE.getByName(name).ingest(name, { vantage, records: batch }),
      ),
    );
    this.confirm(
      config,
      answers.flatMap((a) => a.confirm),
    );
  }

  /** First failures the state objects want confirmed: re-probed here and from other regions. */
  private confirm(config: Config, requests: ConfirmRequest[]): void {
    if (requests.length === 0 || !this.identity) return;
    const self = proberName(this.identity.region, this.identity.shard);
    const remote = proberProbeNow(this.env);
    const probeNow: ProbeNow = (name, region, only) =>
      name === self ? this.tick({ force: true, only }) : remote(name, region, only);
    for (const r of requestConfirmations(config, requests, probeNow)) this.ctx.waitUntil(r.catch(() => {}));
  }

  async stats(): Promise<ProberStats> {
    return {
      ...this.identity,
      ...this.counters,
      since: this.since,
      rowsWritten: this.db.rowsWritten,
      lastTickAt: this.lastTickAt,
      nextAlarmAt: await this.ctx.storage.getAlarm(),
    };
  }
}
