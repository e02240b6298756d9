import { DurableObject } from "cloudflare:workers";
import { agentIdOfVantage, PUSH_VANTAGE } from "../../core/agent/vantage.ts";
import type { MaintenanceWindow } from "../../core/config/maintenance.ts";
import type { Config, Monitor } from "../../core/config/schema.ts";
import { ActiveTime } from "../../core/cost/active-time.ts";
import {
  beatRecord,
  heartbeatDeadline,
  isPushMonitor,
  type LastBeat,
  missedRecord,
  type PushCall,
} from "../../core/push/heartbeat.ts";
import type { ProbeBatch, ProbeRecord } from "../../core/records.ts";
import type { ChainFacts } from "../../core/result.ts";
import { slotAt, slotClock } from "../../core/schedule.ts";
import { OVERALL, rollupKey } from "../../core/sla/rollup.ts";
import { emptyTally, mergeTallies, type StartTally, tallyStart } from "../../core/start-tally.ts";
import { ON_TIME_TOLERANCE_MS, type StartWindow, StartWindows } from "../../core/start-window.ts";
import { type Incident, incidentStep } from "../../core/state/incident.ts";
import { applyRecord, type MonitorMemory, type Step, sweepStale } from "../../core/state/monitor.ts";
import { NetworkView } from "../../core/state/network.ts";
import { monitorIndex, monitorsOfStateShard, stateShardOf } from "../../core/topology.ts";
import type { Verdict } from "../../core/verdict.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { activeMaintenance } from "../maintenance.ts";
import { CountingSql } from "../storage/sql.ts";
import { MonitorAlerting } from "./alerting.ts";
import { BatchLog, type HistoryQuery } from "./batch-log.ts";
import { BoardReporter } from "./board-reporter.ts";
import { CheckpointStore } from "./checkpoint.ts";
import { Confirmations, type ConfirmRequest } from "./confirmations.ts";
import { latencySeries } from "./latency-series.ts";
import { type RollupRead, RollupStore } from "./rollup-store.ts";
import { viewOf } from "./shard-report.ts";

const CHECKPOINT_EVERY_MS = 5 * 60_000;
const SWEEP_EVERY_MS = 30_000;
/** Volatile values (height, latency) reach the board at most this often; state changes go at once. */
const REPORT_EVERY_MS = 60_000;
/** How often the latency chart's hourly points travel with a report. */
const LATENCY_EVERY_MS = 5 * 60_000;
function signatureOf(m: MonitorMemory): string {
  const codes = (rs: { code: string }[]) => rs.map((r) => r.code).join(",");
  const vantages = Object.entries(m.vantages).map(
    // A certificate's expiry changes only on renewal, and then the public view should follow at once.
    ([region, v]) => `${region}=${v.state}:${codes(v.reasons)}:${v.certNotAfter ?? ""}`,
  );
  return `${m.overall.state}:${codes(m.overall.reasons)}|${vantages.sort().join("|")}`;
}

/** A record refused because its vantage already reported the monitor in that interval slot. */
export interface DuplicateRecord {
  monitorId: string;
  checkedAt: number;
}

/** What a push call did: whether it became a record (at most one per slot and state), and what is next. */
export interface PushAnswer {
  recorded: boolean;
  state: string;
  /** The next heartbeat is due by then (unix ms). */
  expectedBy: number;
}

export interface IngestAnswer {
  accepted: number;
  confirm: ConfirmRequest[];
  duplicates: DuplicateRecord[];
}

interface Folded {
  changed: boolean;
  /** One per kept record. */
  verdicts: Verdict[];
  confirm: ConfirmRequest[];
  kept: ProbeRecord[];
  duplicates: DuplicateRecord[];
}

/**
 * Verdicts for the monitors of one network. Every batch is one row; per-monitor state lives in
 * memory and is rebuilt on start from a checkpoint plus the batches after it, so steady state
 * writes about one row per batch instead of one per probe. State changes and incidents go to the
 * status board as they happen. Storage, checkpoints, reporting, alert memory and the decision to
 * confirm a failure elsewhere each live in a collaborator beside this file; this object folds
 * results through them.
 */
export class MonitorStateDO extends DurableObject<Env> {
  private readonly db: CountingSql;
  private readonly log: BatchLog;
  private readonly rollupStore: RollupStore;
  private readonly checkpoints: CheckpointStore;
  private readonly reporter = new BoardReporter();
  private readonly confirmations = new Confirmations();
  private shard?: string;
  private memory = new Map<string, MonitorMemory>();
  private network = new NetworkView();
  private openIncidents = new Map<string, Incident>();
  private signatures = new Map<string, string>();
  /**
   * Monitors whose visible view changed since the board last confirmed it, with a generation: a
   * monitor that changes again while its report is on the way stays owed.
   */
  private readonly changedViews = new Map<string, number>();
  private viewGeneration = 0;
  /**
   * Monitors whose latency chart reached the board since this object started: one with its first
   * results has its own chart sent at once, not the whole network's (which, at a network's start,
   * recomputed every monitor's 24 hours for every batch).
   */
  private readonly latencySent = new Set<string>();
  private readonly alerting = new MonitorAlerting();
  /**
   * Maintenance windows added through the admin API, as the board (their one stored copy) had
   * them at start, refreshed when the admin API changes them. Config windows come with the config.
   */
  private adminWindows: MaintenanceWindow[] = [];
  private lastCheckpointAt = 0;
  private counters = { batches: 0, records: 0, duplicateSlots: 0 };
  /** When the Worker's scheduled probes really started (memory; kept with the checkpoint). */
  private starts: StartTally = emptyTally();
  /** Engine waits and skips per whole minute, for the watchdog's "monitoring degraded" (memory only). */
  private readonly startWindows = new StartWindows(Date.now());
  /** Time with any handler running (what duration bills); kept in the checkpoint's counters. */
  private active = new ActiveTime();
  /**
   * The slot of each (monitor, vantage)'s last scheduled probe, to count a second scheduled probe in
   * one slot: the engine must never make one, so the count is a check on it, kept apart from it.
   */
  private readonly scheduledSlots = new Map<string, number>();
  /**
   * Each push monitor's latest heartbeat. Memory only: most calls change nothing worth a row. After
   * a restart, deadlines count from the restart at the earliest, so a lost beat never makes a miss.
   */
  private readonly beats = new Map<string, LastBeat>();
  private readonly startedAt = Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = new CountingSql(ctx.storage.sql);
    this.log = new BatchLog(this.db);
    this.rollupStore = new RollupStore(this.db);
    this.checkpoints = new CheckpointStore(this.db);
    ctx.blockConcurrencyWhile(async () => {
      this.adminWindows = await this.boardWindows();
      this.restore();
    });
  }

  private async boardWindows(): Promise<MaintenanceWindow[]> {
    try {
      return await this.env.BOARD.getByName("global").maintenanceWindows();
    } catch (e) {
      console.error(JSON.stringify({ event: "maintenance_read_failed", error: String(e) }));
      return [];
    }
  }

  private restore(): void {
    this.checkpoints.init();
    this.log.init();
    this.rollupStore.init();
    const { shard, checkpoint, memory, rollup } = this.checkpoints.load();
    this.shard = shard;
    if (checkpoint) {
      this.lastCheckpointAt = checkpoint.at;
      this.network = NetworkView.from(checkpoint.network);
      for (const i of checkpoint.openIncidents) this.openIncidents.set(i.monitorId, i);
      if (checkpoint.counters) {
        const { activeMs, activeSpans, starts, ...counters } = checkpoint.counters;
        this.counters = { ...this.counters, ...counters };
        this.starts = mergeTallies(emptyTally(), starts);
        this.active = new ActiveTime({ activeMs, spans: activeSpans });
      }
      this.alerting.restore(checkpoint.alerts);
      this.db.rowsWritten += checkpoint.rowsWritten ?? 0;
      if (rollup) this.rollupStore.restore(rollup);
      for (const [id, m] of memory) this.memory.set(id, m);
    }
    const config = this.safeConfig();
    if (!config) return;
    for (const batch of this.log.after(checkpoint?.lastBatchId ?? 0)) {
      this.fold(config, batch.records, true);
      this.counters.batches++;
      this.counters.records += batch.records.length;
      this.db.rowsWritten++; // the batch's own row, written by the instance before this one
    }
  }

  private safeConfig(): Config | undefined {
    try {
      return loadConfig(this.env);
    } catch {
      return undefined;
    }
  }

  /**
   * Results from one prober (or agent) tick. `confirm` lists the monitors a vantage saw fail for
   * the first time: the caller re-probes them from elsewhere (see worker/confirm.ts).
   */
  async ingest(shard: string, batch: ProbeBatch): Promise<IngestAnswer> {
    return this.active.around(() => this.ingestBatch(shard, batch));
  }

  private async ingestBatch(shard: string, batch: ProbeBatch): Promise<IngestAnswer> {
    if (this.shard !== shard) {
      this.shard = shard;
      this.checkpoints.saveShard(shard);
    }
    const config = loadConfig(this.env);
    const { kept, confirm, duplicates } = await this.take(config, batch, Date.now());
    return { accepted: kept.length, confirm, duplicates };
  }

  /** Folds a batch, stores what was kept as one row, and tells the board and the outbox. */
  private async take(config: Config, batch: ProbeBatch, now: number): Promise<Folded> {
    const folded = this.fold(config, batch.records, false);
    if (batch.shed?.length) this.countSkipped(batch.shed.length, now);
    if (folded.kept.length > 0)
      this.log.append(now, { vantage: batch.vantage, records: folded.kept }, folded.verdicts);
    this.counters.batches++;
    this.counters.records += folded.kept.length;
    await this.afterChange(config, now, folded.changed);
    return folded;
  }

  /**
   * A heartbeat from a push monitor's caller. It becomes a record only when it says something new:
   * the first in its interval slot, or a state other than the last one. A burst writes one row.
   */
  async push(shard: string, monitorId: string, call: PushCall): Promise<PushAnswer> {
    return this.active.around(() => this.pushCall(shard, monitorId, call));
  }

  private async pushCall(shard: string, monitorId: string, call: PushCall): Promise<PushAnswer> {
    if (this.shard !== shard) {
      this.shard = shard;
      this.checkpoints.saveShard(shard);
    }
    const config = loadConfig(this.env);
    const monitor = monitorIndex(config).get(monitorId);
    if (!monitor || !isPushMonitor(monitor)) throw new Error(`${monitorId} is not a push monitor`);
    const now = Date.now();
    this.beats.set(monitorId, { at: now, live: true });
    const last = this.memory.get(monitorId)?.vantages[PUSH_VANTAGE];
    const clock = slotClock(monitor.id, monitor.intervalSec);
    const wanted = call.status === "up" ? "up" : "down";
    const news =
      last === undefined || slotAt(clock, last.checkedAt) !== slotAt(clock, now) || last.state !== wanted;
    if (news)
      await this.take(config, { vantage: PUSH_VANTAGE, records: [beatRecord(monitor, call, now)] }, now);
    return {
      recorded: news,
      state: this.memory.get(monitorId)?.overall.state ?? "unknown",
      expectedBy: heartbeatDeadline(monitor, now),
    };
  }

  /** Push monitors whose heartbeat is overdue: one record per interval slot while it stays overdue. */
  private missedBeats(config: Config, now: number): ProbeRecord[] {
    const out: ProbeRecord[] = [];
    for (const monitor of config.monitors) {
      if (!isPushMonitor(monitor) || stateShardOf(monitor) !== this.shard) continue;
      const last = this.memory.get(monitor.id)?.vantages[PUSH_VANTAGE];
      // Never called: waiting for its first heartbeat is not an outage (a deploy would alarm on every job).
      if (last === undefined) continue;
      const clock = slotClock(monitor.id, monitor.intervalSec);
      if (slotAt(clock, last.checkedAt) === slotAt(clock, now)) continue;
      // A beat older than the checkpoint is not replayed: count from the restart.
      const beat = this.beats.get(monitor.id) ?? { at: this.startedAt, live: true };
      const record = missedRecord(monitor, beat, this.startedAt, now);
      if (record) out.push(record);
    }
    return out;
  }

  /**
   * Whether an agent already reported this monitor in this interval slot: an agent vantage keeps
   * one result per slot (a prober's own re-probes, for confirmation, are meant to repeat one).
   */
  private repeatsSlot(monitor: Monitor, record: ProbeRecord): boolean {
    if (agentIdOfVantage(record.vantage) === undefined) return false;
    const last = this.memory.get(monitor.id)?.vantages[record.vantage]?.checkedAt;
    if (last === undefined) return false;
    const clock = slotClock(monitor.id, monitor.intervalSec);
    return slotAt(clock, last) === slotAt(clock, record.checkedAt);
  }

  private countStart(record: ProbeRecord): void {
    tallyStart(this.starts, record);
    // The engine's wait, not the slot's lateness: a prober catching up after a silence hands over
    // slots long begun (its own window judges its alarms); this one judges the runtime's backlog.
    const waited = record.waitedMs ?? 0;
    this.startWindows.add(Date.now(), waited, waited > ON_TIME_TOLERANCE_MS);
  }

  private countSkipped(n: number, now: number): void {
    this.starts.shed += n;
    this.startWindows.skipped(now, n);
  }

  /** A scheduled probe (not forced, not a push call) in the slot its vantage already probed. */
  private countRepeatedSlot(record: ProbeRecord): void {
    if (record.forced || record.vantage === PUSH_VANTAGE) return;
    // The Worker's own probes: agents keep their own schedule (and report their own timing).
    if (agentIdOfVantage(record.vantage) === undefined) this.countStart(record);
    const key = `${record.monitorId}|${record.vantage}`;
    if (this.scheduledSlots.get(key) === record.scheduledAt) this.counters.duplicateSlots++;
    this.scheduledSlots.set(key, record.scheduledAt);
  }

  /**
   * Applies records in order; tells whether any overall state changed, each instant verdict, and
   * which first failures to confirm elsewhere.
   */
  private fold(config: Config, records: ProbeRecord[], replaying: boolean): Folded {
    const byId = monitorIndex(config);
    let changed = false;
    const verdicts: Verdict[] = [];
    const confirm: ConfirmRequest[] = [];
    const kept: ProbeRecord[] = [];
    const duplicates: DuplicateRecord[] = [];
    for (const record of records) {
      const monitor = byId.get(record.monitorId);
      if (!monitor) {
        kept.push(record);
        verdicts.push({ state: "unknown", reasons: [] });
        continue;
      }
      if (!replaying && this.repeatsSlot(monitor, record)) {
        duplicates.push({ monitorId: record.monitorId, checkedAt: record.checkedAt });
        this.counters.duplicateSlots++;
        continue;
      }
      if (!replaying) this.countRepeatedSlot(record);
      kept.push(record);
      if (record.vantage === PUSH_VANTAGE && record.result.error?.kind !== "no_heartbeat") {
        const known = this.beats.get(record.monitorId);
        if (known === undefined || known.at < record.checkedAt) {
          this.beats.set(record.monitorId, { at: record.checkedAt, live: !replaying });
        }
      }
      const reference = this.network.referenceAt(record.checkedAt, monitor.rules.minReferenceNodes);
      const step = applyRecord(this.memory.get(monitor.id), monitor, record, {
        networkHeight: reference.height,
        networkShortOf: reference.height === undefined ? reference : undefined,
        networkVersion: this.network.majorityVersionAt(record.checkedAt),
        maintenance: this.maintenanceOf(config, monitor, record.checkedAt),
      });
      // Several monitors of one node (tags.node) vote once; heights replayed after a restart not at all.
      this.network.recordHeight(
        monitor.tags.node ?? monitor.id,
        step.referenceHeight,
        record.checkedAt,
        !replaying,
      );
      this.network.recordVersion(monitor.id, record.result.facts?.version, record.checkedAt);
      const latency = record.result.error === undefined ? record.result.latencyMs : undefined;
      this.rollupStore.acc.probe(rollupKey(monitor.id, record.vantage), record.checkedAt, latency);
      this.rollupStore.acc.probe(rollupKey(monitor.id, OVERALL), record.checkedAt, latency);
      verdicts.push(step.instant);
      changed =
        this.commit(config, monitor, step, replaying, record.checkedAt, record.result.facts) || changed;
      const request = replaying
        ? undefined
        : this.confirmations.consider(monitor, record.vantage, step, Date.now());
      if (request) confirm.push(request);
    }
    return { changed, verdicts, confirm, kept, duplicates };
  }

  /**
   * Stores a step; true when the public picture changed in a way worth telling at once: the
   * overall state, a vantage's state, or the kinds of reasons. Numbers inside reason texts
   * (heights, ages) move every probe and ride along with the next periodic report instead.
   */
  private commit(
    config: Config,
    monitor: Monitor,
    step: Step,
    replaying: boolean,
    now: number,
    facts?: ChainFacts,
  ): boolean {
    this.observeVantages(monitor.id, this.memory.get(monitor.id), step.memory, replaying);
    this.memory.set(monitor.id, step.memory);
    const signature = signatureOf(step.memory);
    const visible = this.signatures.get(monitor.id) !== signature;
    this.signatures.set(monitor.id, signature);
    let incidentChange: Incident | undefined;
    if (step.changedFrom !== undefined) {
      const { overall } = step.memory;
      const incident = incidentStep(this.openIncidents.get(monitor.id), monitor.id, overall);
      if (incident.open) this.openIncidents.set(monitor.id, incident.open);
      else this.openIncidents.delete(monitor.id);
      incidentChange = incident.changed;
      this.rollupStore.acc.observe(rollupKey(monitor.id, OVERALL), overall.state, overall.changedAt);
      if (!replaying) {
        this.reporter.transition({ monitorId: monitor.id, at: overall.changedAt, state: overall.state });
        if (incident.changed) this.reporter.incident(incident.changed);
      }
    }
    const maintenance = this.maintenanceOf(config, monitor, now) !== undefined;
    this.alerting.onStep(monitor, step, incidentChange, config.alerts, maintenance, replaying, now, facts);
    const changed = step.changedFrom !== undefined || visible;
    if (changed && !replaying) this.changedViews.set(monitor.id, ++this.viewGeneration);
    return changed;
  }

  /** Per-vantage state changes: into the rollups, and (live) to the board's vantage timeline. */
  private observeVantages(
    monitorId: string,
    before: MonitorMemory | undefined,
    after: MonitorMemory,
    replaying: boolean,
  ): void {
    for (const [region, v] of Object.entries(after.vantages)) {
      if (before?.vantages[region]?.state === v.state) continue;
      this.rollupStore.acc.observe(rollupKey(monitorId, region), v.state, v.since);
      if (!replaying) this.reporter.vantageTransition({ monitorId, region, at: v.since, state: v.state });
    }
  }

  private maintenanceOf(config: Config, monitor: Monitor, at: number): string | undefined {
    const w = activeMaintenance(config, this.adminWindows, monitor, at);
    return w ? (w.title ?? w.id) : undefined;
  }

  /** The admin API changed its windows (stored by the board); this object keeps them in memory only. */
  async setMaintenance(windows: MaintenanceWindow[]): Promise<void> {
    this.adminWindows = windows;
  }

  private async afterChange(config: Config, now: number, changed: boolean): Promise<void> {
    if (now - this.lastCheckpointAt >= CHECKPOINT_EVERY_MS) this.checkpoint(now);
    if (changed || now - this.reporter.lastReportAt >= REPORT_EVERY_MS) await this.report(config, now);
    await this.handOverAlerts();
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null) await this.ctx.storage.setAlarm(now + SWEEP_EVERY_MS);
  }

  /** Alerts go to the outbox, which delivers them on its own alarm; kept here until it accepts. */
  private async handOverAlerts(): Promise<void> {
    const events = this.alerting.peek();
    if (events.length === 0) return;
    try {
      await this.env.ALERTS.getByName("outbox").enqueue(events);
      this.alerting.accepted(events.length);
    } catch (e) {
      console.error(JSON.stringify({ event: "alert_handover_failed", error: String(e) }));
    }
  }

  private activeCounters() {
    const { activeMs, spans } = this.active.read();
    return { activeMs, activeSpans: spans, starts: this.starts };
  }

  private checkpoint(now: number): void {
    this.rollupStore.flush(now);
    this.checkpoints.save(this.memory, this.rollupStore.toJSON(), (rowsWritten) => ({
      at: now,
      lastBatchId: this.log.lastId(),
      network: this.network.toJSON(),
      openIncidents: [...this.openIncidents.values()],
      counters: { ...this.counters, ...this.activeCounters() },
      alerts: this.alerting.toJSON(),
      rowsWritten,
    }));
    this.lastCheckpointAt = now;
  }

  /**
   * To the board: every monitor of the shard once a minute (heights and latencies move without a
   * state change), and in between only the monitors whose visible state changed, so a change
   * costs what changed, not the whole network.
   */
  private async report(config: Config, now: number): Promise<void> {
    const shard = this.shard;
    if (!shard) return;
    const mine = monitorsOfStateShard(config, shard).filter((m) => this.memory.has(m.id));
    const full = now - this.reporter.lastReportAt >= REPORT_EVERY_MS;
    // The page's latency chart has hourly points: refreshed with a report every few minutes, and
    // for a monitor at once when it has its first results (monitors start in their own slots, so
    // a network's first report does not have them all).
    const periodic = full && now - this.reporter.lastLatencyAt >= LATENCY_EVERY_MS;
    const charted = (periodic ? mine : mine.filter((m) => !this.latencySent.has(m.id))).map((m) => m.id);
    const latency =
      charted.length > 0
        ? { series: latencySeries(this.rollupStore, charted, now), partial: !periodic }
        : undefined;
    let sent = new Map<string, number>();
    await this.reporter.report(
      this.env,
      shard,
      () => {
        sent = new Map(this.changedViews);
        const monitors = (full ? mine : mine.filter((m) => sent.has(m.id))).map((m) =>
          viewOf(m.id, this.memory.get(m.id) as MonitorMemory),
        );
        return { monitors, full };
      },
      now,
      latency,
    );
    for (const [id, generation] of sent)
      if (this.changedViews.get(id) === generation) this.changedViews.delete(id);
    for (const id of latency ? charted : []) this.latencySent.add(id);
  }

  /** Sweep: silent vantages turn unknown; prune old raw results; report. */
  override async alarm(): Promise<void> {
    await this.active.around(() => this.sweep());
  }

  private async sweep(): Promise<void> {
    const config = this.safeConfig();
    if (!config || !this.shard) return;
    const now = Date.now();
    const shard = this.shard;
    let changed = false;
    for (const monitor of config.monitors) {
      if (stateShardOf(monitor) !== shard) continue;
      const window = this.maintenanceOf(config, monitor, now);
      const step = sweepStale(this.memory.get(monitor.id), monitor, now, window);
      if (step) changed = this.commit(config, monitor, step, false, now) || changed;
      const open = this.openIncidents.get(monitor.id);
      this.alerting.onSweep(
        monitor,
        this.memory.get(monitor.id),
        open,
        config.alerts,
        window !== undefined,
        now,
      );
    }
    const missed = this.missedBeats(config, now);
    if (missed.length > 0) {
      const folded = this.fold(config, missed, false);
      this.log.append(now, { vantage: PUSH_VANTAGE, records: folded.kept }, folded.verdicts);
      this.counters.batches++;
      this.counters.records += folded.kept.length;
      changed = folded.changed || changed;
    }
    this.log.prune(now - config.retention.rawDays * 86_400_000);
    this.rollupStore.prune(now, config.retention.rawDays);
    // Monitors removed from the config (or moved to another network) stop accruing rollup time.
    const mine = new Set(config.monitors.filter((m) => stateShardOf(m) === shard).map((m) => m.id));
    this.rollupStore.acc.forget((key) => mine.has(key.slice(0, key.lastIndexOf("|"))));
    await this.afterChange(config, now, changed);
    await this.ctx.storage.setAlarm(now + SWEEP_EVERY_MS);
  }

  /** Rollup cells of the given monitors over [from, to) (see RollupStore.read). */
  async rollups(q: { monitorIds: string[]; from: number; to: number }): Promise<RollupRead> {
    return this.rollupStore.read(q);
  }

  /** Raw results of one monitor, newest last. */
  async history(query: HistoryQuery): Promise<ReturnType<BatchLog["history"]>> {
    return this.log.history(query);
  }

  /** Called by the cron watchdog: re-arm a missing alarm; how the last minute's starts went. */
  async ensureArmed(): Promise<{ rearmed: boolean; lastMinute?: StartWindow }> {
    const lastMinute = this.startWindows.lastComplete(Date.now());
    if ((await this.ctx.storage.getAlarm()) !== null || !this.shard) return { rearmed: false, lastMinute };
    await this.ctx.storage.setAlarm(Date.now());
    return { rearmed: true, lastMinute };
  }

  async stats() {
    return {
      shard: this.shard,
      ...this.counters,
      rowsWritten: this.db.rowsWritten,
      /** Of rowsWritten: rollup rows (5-minute, hourly and daily periods, and their pruning). */
      rollupRowsWritten: this.rollupStore.rowsWritten,
      monitors: this.memory.size,
      active: this.active.read(),
      starts: this.starts,
    };
  }
}
