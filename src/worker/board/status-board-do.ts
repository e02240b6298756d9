import { DurableObject } from "cloudflare:workers";
import type { MaintenanceWindow } from "../../core/config/maintenance.ts";
import { ActiveTime } from "../../core/cost/active-time.ts";
import type { Incident } from "../../core/state/incident.ts";
import type { Transition } from "../../core/uptime.ts";
import type { Env } from "../env.ts";
import type { ShardReport } from "../state/shard-report.ts";
import { CountingSql } from "../storage/sql.ts";
import { CheckerWatch, type WatchdogFindings } from "./checker-watch.ts";
import { IncidentBook, type IncidentNote, type IncidentQuery } from "./incident-book.ts";
import { MaintenanceStore } from "./maintenance-store.ts";
import { type PageExtras, type Snapshot, TIMELINE_WINDOW_MS } from "./snapshot.ts";

/** Incidents the status page lists. */
const PAGE_INCIDENTS = 50;

import { SnapshotPublisher } from "./snapshot-publisher.ts";
import { TimelineStore } from "./timeline-store.ts";

export type { WatchdogFindings } from "./checker-watch.ts";
export type { IncidentNote, IncidentQuery } from "./incident-book.ts";

export interface SlaBoardData {
  overall: Record<string, Transition[]>;
  regions: Record<string, Record<string, Transition[]>>;
  incidents: Incident[];
  maintenance: MaintenanceWindow[];
}

/**
 * The one place that sees every monitor. It takes the state objects' reports and the cron's
 * findings, and hands each concern to the part that owns it: the public snapshot, the timelines,
 * incidents and their notes, the checker's own health, admin maintenance windows. It calls only
 * the alert outbox (never a state object), so no call between objects goes in a circle.
 */
export class StatusBoardDO extends DurableObject<Env> {
  private readonly db: CountingSql;
  private readonly publisher: SnapshotPublisher;
  private readonly timelines: TimelineStore;
  private readonly incidentBook: IncidentBook;
  private readonly maintenance: MaintenanceStore;
  private readonly checker: CheckerWatch;
  /** Time with a report, the watchdog's call or a flush running (saved with the counters). */
  private active = new ActiveTime();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = new CountingSql(ctx.storage.sql);
    this.publisher = new SnapshotPublisher(this.db, ctx.storage.kv);
    this.timelines = new TimelineStore(this.db);
    this.incidentBook = new IncidentBook(this.db, ctx.storage.kv);
    this.maintenance = new MaintenanceStore(ctx.storage.kv);
    this.checker = new CheckerWatch(ctx.storage.kv);
    ctx.blockConcurrencyWhile(async () => {
      this.active = new ActiveTime(this.publisher.init());
      this.timelines.init();
      this.incidentBook.init();
    });
  }

  async update(report: ShardReport): Promise<void> {
    await this.counted(() => this.take(report));
  }

  /** Runs a handler's work as active time and saves the counters it moved. */
  private async counted(work: () => Promise<void>): Promise<void> {
    try {
      await this.active.around(work);
    } finally {
      this.publisher.saveCounters(this.active.read());
    }
  }

  private async take(report: ShardReport): Promise<void> {
    this.timelines.record(report.transitions, report.vantageTransitions ?? []);
    this.incidentBook.record(report.incidents);
    const now = Date.now();
    this.checker.reportSeen(now);
    const healthChanged = await this.judgeChecker(now);
    const significant = report.transitions.length > 0 || report.incidents.length > 0 || healthChanged;
    this.publisher.update(report.shard, report.monitors, significant, report.full !== false);
    if (report.latency) this.publisher.updateLatency(report.shard, report.latency, report.latencyPartial);
    await this.scheduleFlush(now);
  }

  /** From the cron watchdog, once a minute. */
  async watchdogReport(findings: WatchdogFindings): Promise<void> {
    await this.counted(() => this.takeWatchdog(findings));
  }

  private async takeWatchdog(findings: WatchdogFindings): Promise<void> {
    this.checker.watchdogRan(findings);
    if (await this.judgeChecker(findings.at)) {
      this.publisher.markDirty(true);
      await this.scheduleFlush(findings.at);
    }
  }

  /** True when the checker's health changed enough to alert (and the alert went to the outbox). */
  private async judgeChecker(now: number): Promise<boolean> {
    const alert = this.checker.check(now);
    if (!alert) return false;
    try {
      await this.env.ALERTS.getByName("outbox").enqueue([alert]);
    } catch (e) {
      console.error(JSON.stringify({ event: "alert_handover_failed", error: String(e) }));
    }
    return true;
  }

  private async scheduleFlush(now: number): Promise<void> {
    const due = this.publisher.due(now);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > due) await this.ctx.storage.setAlarm(due);
  }

  /** The alarm is only ever set when something changed, so it always writes. */
  override async alarm(): Promise<void> {
    await this.counted(async () => {
      const snapshot = this.snapshotNow(Date.now());
      await this.publisher.flush(snapshot, this.pageExtras(snapshot.generatedAt), this.env.SNAPSHOT);
    });
  }

  /** Recent incidents on the status page (open ones first in its list), with their notes. */
  private pageExtras(now: number): PageExtras {
    const incidents = this.incidentBook.list({ status: "all", limit: PAGE_INCIDENTS });
    const notes = this.incidentBook.notes(incidents.map((i) => i.id));
    return {
      generatedAt: now,
      latency: this.publisher.latency(),
      incidents: incidents.map((i) => ({ ...i, notes: notes[i.id] ?? [] })),
    };
  }

  /** The page's extras as they would be written now; the page's fallback before the first KV write. */
  async extras(): Promise<PageExtras> {
    return this.pageExtras(Date.now());
  }

  private snapshotNow(now: number): Snapshot {
    return {
      generatedAt: now,
      monitors: this.publisher.monitors(),
      timelines: this.timelines.since(now - TIMELINE_WINDOW_MS),
      monitoring: this.checker.health ?? { state: "ok", since: now, problems: [] },
      maintenance: this.maintenance.list(),
    };
  }

  /** The snapshot as it would be written now; the API's fallback before the first KV write. */
  async snapshot(): Promise<Snapshot> {
    return this.snapshotNow(Date.now());
  }

  /** Maintenance windows added through the admin API (config windows live in the config). */
  async maintenanceWindows(): Promise<MaintenanceWindow[]> {
    return this.maintenance.list();
  }

  /** Adds or replaces a window by id; returns the new set. */
  async putMaintenance(window: MaintenanceWindow): Promise<MaintenanceWindow[]> {
    const windows = this.maintenance.put(window);
    await this.publicChanged();
    return windows;
  }

  async deleteMaintenance(id: string): Promise<{ removed: boolean; windows: MaintenanceWindow[] }> {
    const result = this.maintenance.delete(id);
    await this.publicChanged();
    return result;
  }

  /** Something the public sees changed outside a report (maintenance, a note): publish soon. */
  private async publicChanged(): Promise<void> {
    this.publisher.markDirty(true);
    await this.scheduleFlush(Date.now());
  }

  async incidents(q: IncidentQuery): Promise<Incident[]> {
    return this.incidentBook.list(q);
  }

  /** Manual notes on incidents (admin API), oldest first. */
  async addIncidentNote(incidentId: string, note: IncidentNote): Promise<IncidentNote[] | null> {
    const notes = this.incidentBook.addNote(incidentId, note);
    // The page shows notes: publish them like a state change.
    if (notes) await this.publicChanged();
    return notes;
  }

  async incidentNotes(incidentIds: string[]): Promise<Record<string, IncidentNote[]>> {
    return this.incidentBook.notes(incidentIds);
  }

  /**
   * What an SLA report needs from the board for [from, to): per monitor the overall and
   * per-vantage transitions (with the one in force at `from`), the incidents overlapping the
   * range, and the admin maintenance windows.
   */
  async slaData(q: { monitorIds: string[]; from: number; to: number }): Promise<SlaBoardData> {
    const out: SlaBoardData = {
      overall: {},
      regions: {},
      incidents: [],
      maintenance: this.maintenance.list(),
    };
    for (const id of q.monitorIds) {
      out.overall[id] = this.timelines.overall(id, q.from, q.to);
      out.regions[id] = this.timelines.byVantage(id, q.from, q.to);
      out.incidents.push(...this.incidentBook.overlapping(id, q.from, q.to));
    }
    return out;
  }

  async stats() {
    return {
      ...this.publisher.counters,
      rowsWritten: this.db.rowsWritten,
      lastWriteAt: this.publisher.lastWriteAt,
      dirty: this.publisher.dirty,
      active: this.active.read(),
    };
  }
}
