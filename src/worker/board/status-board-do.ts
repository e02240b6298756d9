import { DurableObject } from "cloudflare:workers";
import { type CheckerHealth, nextHealth, WATCHDOG_SILENT_MS } from "../../core/checker-health.ts";
import type { MaintenanceWindow } from "../../core/config/maintenance.ts";
import type { Silence } from "../../core/silence/silence.ts";
import type { Incident } from "../../core/state/incident.ts";
import type { Transition } from "../../core/uptime.ts";
import type { State } from "../../core/verdict.ts";
import type { Env } from "../env.ts";
import type { MonitorView, ShardReport } from "../state/shard-report.ts";
import { CountingSql } from "../storage/sql.ts";
import { SNAPSHOT_KEY, type Snapshot, TIMELINE_WINDOW_MS } from "./snapshot.ts";

/** KV allows one write per second per key; state changes wait no longer than that. */
const MIN_WRITE_GAP_MS = 1_000;
/** When only heights and latencies moved, the public copy is refreshed at most this often. */
const VOLATILE_WRITE_GAP_MS = 60_000;

interface FlushRecord {
  lastWriteAt: number;
  counters: { reports: number; kvWrites: number };
  rowsWritten: number;
}

/** What the cron watchdog found on its last run. */
export interface WatchdogFindings {
  at: number;
  /** Probers and agents that have gone quiet, each as a sentence saying for how long. */
  silent: string[];
}

interface CheckerRecord {
  health?: CheckerHealth;
  watchdog?: WatchdogFindings;
  firstReportAt?: number;
}

export interface IncidentNote {
  at: number;
  text: string;
}

export interface SlaBoardData {
  overall: Record<string, Transition[]>;
  regions: Record<string, Record<string, Transition[]>>;
  incidents: Incident[];
  maintenance: MaintenanceWindow[];
}

export interface IncidentQuery {
  monitorId?: string;
  status: "open" | "closed" | "all";
  limit: number;
}

/**
 * The one place that sees every monitor: it merges the state objects' reports, keeps the
 * transitions and incidents, and writes the public snapshot to KV, coalesced and only when
 * something changed.
 */
export class StatusBoardDO extends DurableObject<Env> {
  private readonly db: CountingSql;
  /** Kept in storage: the object may be evicted between a report and its flush alarm. */
  private lastWriteAt = 0;
  private dirty: "none" | "volatile" | "state" = "none";
  private counters = { reports: 0, kvWrites: 0 };
  /** The checker's own health; the cron and the probers watch each other through here. */
  private checker: CheckerRecord = {};

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = new CountingSql(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => {
      this.db.run("CREATE TABLE IF NOT EXISTS shards (name TEXT PRIMARY KEY, data TEXT NOT NULL)");
      this.db.run(
        "CREATE TABLE IF NOT EXISTS timeline (id INTEGER PRIMARY KEY AUTOINCREMENT, monitor TEXT NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL)",
      );
      this.db.run("CREATE INDEX IF NOT EXISTS timeline_by_monitor ON timeline (monitor, at)");
      // Per-vantage state changes, for per-region SLA time (written at change only).
      this.db.run(
        "CREATE TABLE IF NOT EXISTS vantage_timeline (id INTEGER PRIMARY KEY AUTOINCREMENT, monitor TEXT NOT NULL, region TEXT NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL)",
      );
      this.db.run("CREATE INDEX IF NOT EXISTS vantage_timeline_by_monitor ON vantage_timeline (monitor, at)");
      this.db.run(
        "CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, monitor TEXT NOT NULL, opened_at INTEGER NOT NULL, closed_at INTEGER, data TEXT NOT NULL)",
      );
      this.checker = ctx.storage.kv.get<CheckerRecord>("checker") ?? {};
      const saved = ctx.storage.kv.get<FlushRecord>("flush");
      if (saved) {
        this.lastWriteAt = saved.lastWriteAt;
        this.counters = saved.counters;
        this.db.rowsWritten += saved.rowsWritten;
      }
    });
  }

  async update(report: ShardReport): Promise<void> {
    this.counters.reports++;
    this.db.run(
      "INSERT INTO shards (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data",
      report.shard,
      JSON.stringify(report.monitors),
    );
    for (const t of report.transitions) {
      this.db.run("INSERT INTO timeline (monitor, at, state) VALUES (?, ?, ?)", t.monitorId, t.at, t.state);
    }
    for (const t of report.vantageTransitions ?? []) {
      this.db.run(
        "INSERT INTO vantage_timeline (monitor, region, at, state) VALUES (?, ?, ?, ?)",
        t.monitorId,
        t.region,
        t.at,
        t.state,
      );
    }
    for (const i of report.incidents) {
      this.db.run(
        "INSERT INTO incidents (id, monitor, opened_at, closed_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET closed_at = excluded.closed_at, data = excluded.data",
        i.id,
        i.monitorId,
        i.openedAt,
        i.closedAt ?? null,
        JSON.stringify(i),
      );
    }
    const now = Date.now();
    if (this.checker.firstReportAt === undefined) this.saveChecker({ ...this.checker, firstReportAt: now });
    const healthChanged = await this.checkHealth(now);
    const significant = report.transitions.length > 0 || report.incidents.length > 0 || healthChanged;
    this.dirty = significant || this.dirty === "state" ? "state" : "volatile";
    await this.scheduleFlush(now);
  }

  /** From the cron watchdog, once a minute. */
  async watchdogReport(findings: WatchdogFindings): Promise<void> {
    this.saveChecker({ ...this.checker, watchdog: findings });
    if (await this.checkHealth(findings.at)) {
      this.dirty = "state";
      await this.scheduleFlush(findings.at);
    }
  }

  /**
   * Probers report through the state objects; the cron reports directly. Each side going quiet
   * is noticed by the other: a silent prober by the cron, a silent cron by the probers' reports.
   */
  private async checkHealth(now: number): Promise<boolean> {
    const problems = [...(this.checker.watchdog?.silent ?? [])];
    const lastCron = this.checker.watchdog?.at ?? this.checker.firstReportAt;
    if (lastCron !== undefined && now - lastCron > WATCHDOG_SILENT_MS) {
      problems.push(`the cron watchdog has not run for ${Math.round((now - lastCron) / 60_000)} min`);
    }
    const { health, alert } = nextHealth(this.checker.health, problems, now);
    const changed = JSON.stringify(health) !== JSON.stringify(this.checker.health);
    if (changed) this.saveChecker({ ...this.checker, health });
    if (alert) {
      try {
        await this.env.ALERTS.get(this.env.ALERTS.idFromName("outbox")).enqueue([alert]);
      } catch (e) {
        console.error(JSON.stringify({ event: "alert_handover_failed", error: String(e) }));
      }
    }
    return alert !== undefined;
  }

  private saveChecker(record: CheckerRecord): void {
    this.checker = record;
    this.ctx.storage.kv.put("checker", record);
  }

  private async scheduleFlush(now: number): Promise<void> {
    const gap = this.dirty === "state" ? MIN_WRITE_GAP_MS : VOLATILE_WRITE_GAP_MS;
    const due = Math.max(now, this.lastWriteAt + gap);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > due) await this.ctx.storage.setAlarm(due);
  }

  /** The alarm is only ever set when something changed, so it always writes. */
  override async alarm(): Promise<void> {
    const snapshot = this.snapshotNow(Date.now());
    await this.env.SNAPSHOT.put(SNAPSHOT_KEY, JSON.stringify(snapshot));
    this.counters.kvWrites++;
    this.lastWriteAt = snapshot.generatedAt;
    this.dirty = "none";
    const record: FlushRecord = {
      lastWriteAt: this.lastWriteAt,
      counters: this.counters,
      rowsWritten: this.db.rowsWritten + 1, // counting the row this put writes
    };
    this.ctx.storage.kv.put("flush", record);
    this.db.rowsWritten += 1;
  }

  private snapshotNow(now: number): Snapshot {
    const monitors: MonitorView[] = this.db
      .all<{ data: string }>("SELECT data FROM shards ORDER BY name")
      .flatMap((r) => JSON.parse(r.data) as MonitorView[]);
    return {
      generatedAt: now,
      monitors,
      timelines: this.timelines(now - TIMELINE_WINDOW_MS),
      monitoring: this.checker.health ?? { state: "ok", since: now, problems: [] },
      maintenance: this.ctx.storage.kv.get<MaintenanceWindow[]>("maintenance") ?? [],
    };
  }

  /** Transitions since `from`, each monitor starting with the state it was in at `from`. */
  private timelines(from: number): Record<string, Transition[]> {
    const out: Record<string, Transition[]> = {};
    const rows = this.db.all<{ monitor: string; at: number; state: string }>(
      `SELECT monitor, at, state FROM timeline t
       WHERE at >= ?1 OR id = (SELECT id FROM timeline p WHERE p.monitor = t.monitor AND p.at < ?1 ORDER BY at DESC LIMIT 1)
       ORDER BY monitor, at, id`,
      from,
    );
    for (const r of rows) {
      const list = out[r.monitor] ?? [];
      list.push({ at: r.at, state: r.state as State });
      out[r.monitor] = list;
    }
    return out;
  }

  /** The snapshot as it would be written now; the API's fallback before the first KV write. */
  async snapshot(): Promise<Snapshot> {
    return this.snapshotNow(Date.now());
  }

  /** The last month (YYYY-MM) whose SLA report went to the alert channels. */
  async lastMonthlyReport(): Promise<string | undefined> {
    return this.ctx.storage.kv.get<string>("monthly-report");
  }

  async setLastMonthlyReport(month: string): Promise<void> {
    this.ctx.storage.kv.put("monthly-report", month);
  }

  /** Maintenance windows added through the admin API (config windows live in the config). */
  async maintenanceWindows(): Promise<MaintenanceWindow[]> {
    return this.ctx.storage.kv.get<MaintenanceWindow[]>("maintenance") ?? [];
  }

  /** Adds or replaces a window by id; returns the new set. */
  async putMaintenance(window: MaintenanceWindow): Promise<MaintenanceWindow[]> {
    const windows = [...(await this.maintenanceWindows()).filter((w) => w.id !== window.id), window];
    return this.saveMaintenance(windows);
  }

  async deleteMaintenance(id: string): Promise<{ removed: boolean; windows: MaintenanceWindow[] }> {
    const before = await this.maintenanceWindows();
    const windows = before.filter((w) => w.id !== id);
    return { removed: windows.length !== before.length, windows: await this.saveMaintenance(windows) };
  }

  private async saveMaintenance(windows: MaintenanceWindow[]): Promise<MaintenanceWindow[]> {
    this.ctx.storage.kv.put("maintenance", windows);
    this.dirty = "state";
    await this.scheduleFlush(Date.now());
    return windows;
  }

  async incidents(q: IncidentQuery): Promise<Incident[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.monitorId) {
      where.push("monitor = ?");
      params.push(q.monitorId);
    }
    if (q.status === "open") where.push("closed_at IS NULL");
    if (q.status === "closed") where.push("closed_at IS NOT NULL");
    const sql = `SELECT data FROM incidents ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY opened_at DESC LIMIT ?`;
    return this.db.all<{ data: string }>(sql, ...params, q.limit).map((r) => JSON.parse(r.data) as Incident);
  }

  /** Alert silences (admin API); expired ones are dropped on write. */
  async silences(): Promise<Silence[]> {
    return this.ctx.storage.kv.get<Silence[]>("silences") ?? [];
  }

  async putSilence(silence: Silence): Promise<Silence[]> {
    const now = Date.now();
    const list = [
      ...(await this.silences()).filter((s) => s.id !== silence.id && Date.parse(s.until) > now),
      silence,
    ];
    this.ctx.storage.kv.put("silences", list);
    return list;
  }

  async deleteSilence(id: string): Promise<boolean> {
    const before = await this.silences();
    const list = before.filter((s) => s.id !== id);
    this.ctx.storage.kv.put("silences", list);
    return list.length !== before.length;
  }

  /** Manual notes on incidents (admin API), oldest first. */
  async addIncidentNote(incidentId: string, note: IncidentNote): Promise<IncidentNote[] | null> {
    if (!this.db.one("SELECT id FROM incidents WHERE id = ?", incidentId)) return null;
    const notes = [...(this.ctx.storage.kv.get<IncidentNote[]>(`notes:${incidentId}`) ?? []), note];
    this.ctx.storage.kv.put(`notes:${incidentId}`, notes);
    return notes;
  }

  async incidentNotes(incidentIds: string[]): Promise<Record<string, IncidentNote[]>> {
    const out: Record<string, IncidentNote[]> = {};
    for (const id of incidentIds) {
      const notes = this.ctx.storage.kv.get<IncidentNote[]>(`notes:${id}`);
      if (notes?.length) out[id] = notes;
    }
    return out;
  }

  /**
   * What an SLA report needs from the board for [from, to): per monitor the overall and
   * per-vantage transitions (with the one in force at `from`), the incidents overlapping the
   * range, and the admin maintenance windows.
   */
  async slaData(q: { monitorIds: string[]; from: number; to: number }): Promise<SlaBoardData> {
    const out: SlaBoardData = { overall: {}, regions: {}, incidents: [], maintenance: [] };
    for (const id of q.monitorIds) {
      out.overall[id] = this.db
        .all<{ at: number; state: string }>(
          `SELECT at, state FROM timeline WHERE monitor = ?1 AND at < ?3 AND (at >= ?2 OR id = (SELECT id FROM timeline WHERE monitor = ?1 AND at < ?2 ORDER BY at DESC, id DESC LIMIT 1)) ORDER BY at, id`,
          id,
          q.from,
          q.to,
        )
        .map((r) => ({ at: r.at, state: r.state as State }));
      const regions: Record<string, Transition[]> = {};
      const rows = this.db.all<{ region: string; at: number; state: string }>(
        `SELECT region, at, state FROM vantage_timeline v WHERE monitor = ?1 AND at < ?3 AND (at >= ?2 OR id = (SELECT id FROM vantage_timeline p WHERE p.monitor = ?1 AND p.region = v.region AND p.at < ?2 ORDER BY at DESC, id DESC LIMIT 1)) ORDER BY at, id`,
        id,
        q.from,
        q.to,
      );
      for (const r of rows) {
        const list = regions[r.region] ?? [];
        list.push({ at: r.at, state: r.state as State });
        regions[r.region] = list;
      }
      out.regions[id] = regions;
      out.incidents.push(
        ...this.db
          .all<{ data: string }>(
            "SELECT data FROM incidents WHERE monitor = ? AND opened_at < ? AND (closed_at IS NULL OR closed_at > ?)",
            id,
            q.to,
            q.from,
          )
          .map((r) => JSON.parse(r.data) as Incident),
      );
    }
    out.maintenance = this.ctx.storage.kv.get<MaintenanceWindow[]>("maintenance") ?? [];
    return out;
  }

  async stats() {
    return {
      ...this.counters,
      rowsWritten: this.db.rowsWritten,
      lastWriteAt: this.lastWriteAt,
      dirty: this.dirty,
    };
  }
}
