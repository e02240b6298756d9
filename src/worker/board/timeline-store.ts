import type { Transition } from "../../core/uptime.ts";
import type { State } from "../../core/verdict.ts";
import type { MonitorTransition, VantageTransition } from "../state/shard-report.ts";
import type { CountingSql } from "../storage/sql.ts";

/**
 * State changes over time, overall and per vantage, written only when they happen: what uptime,
 * the 90-day bars and SLA reports are computed from.
 */
export class TimelineStore {
  private readonly db: CountingSql;

  constructor(db: CountingSql) {
    this.db = db;
  }

  init(): void {
    this.db.run(
      "CREATE TABLE IF NOT EXISTS timeline (id INTEGER PRIMARY KEY AUTOINCREMENT, monitor TEXT NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL)",
    );
    this.db.run("CREATE INDEX IF NOT EXISTS timeline_by_monitor ON timeline (monitor, at)");
    this.db.run(
      "CREATE TABLE IF NOT EXISTS vantage_timeline (id INTEGER PRIMARY KEY AUTOINCREMENT, monitor TEXT NOT NULL, region TEXT NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL)",
    );
    this.db.run("CREATE INDEX IF NOT EXISTS vantage_timeline_by_monitor ON vantage_timeline (monitor, at)");
  }

  record(transitions: readonly MonitorTransition[], vantages: readonly VantageTransition[]): void {
    for (const t of transitions) {
      this.db.run("INSERT INTO timeline (monitor, at, state) VALUES (?, ?, ?)", t.monitorId, t.at, t.state);
    }
    for (const t of vantages) {
      this.db.run(
        "INSERT INTO vantage_timeline (monitor, region, at, state) VALUES (?, ?, ?, ?)",
        t.monitorId,
        t.region,
        t.at,
        t.state,
      );
    }
  }

  /** Transitions since `from` of every monitor, each starting with the state it was in at `from`. */
  since(from: number): Record<string, Transition[]> {
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

  /** One monitor's overall transitions in [from, to), with the one in force at `from`. */
  overall(monitorId: string, from: number, to: number): Transition[] {
    return this.db
      .all<{ at: number; state: string }>(
        `SELECT at, state FROM timeline WHERE monitor = ?1 AND at < ?3 AND (at >= ?2 OR id = (SELECT id FROM timeline WHERE monitor = ?1 AND at < ?2 ORDER BY at DESC, id DESC LIMIT 1)) ORDER BY at, id`,
        monitorId,
        from,
        to,
      )
      .map((r) => ({ at: r.at, state: r.state as State }));
  }

  /** One monitor's per-vantage transitions in [from, to), each with the one in force at `from`. */
  byVantage(monitorId: string, from: number, to: number): Record<string, Transition[]> {
    const regions: Record<string, Transition[]> = {};
    const rows = this.db.all<{ region: string; at: number; state: string }>(
      `SELECT region, at, state FROM vantage_timeline v WHERE monitor = ?1 AND at < ?3 AND (at >= ?2 OR id = (SELECT id FROM vantage_timeline p WHERE p.monitor = ?1 AND p.region = v.region AND p.at < ?2 ORDER BY at DESC, id DESC LIMIT 1)) ORDER BY at, id`,
      monitorId,
      from,
      to,
    );
    for (const r of rows) {
      const list = regions[r.region] ?? [];
      list.push({ at: r.at, state: r.state as State });
      regions[r.region] = list;
    }
    return regions;
  }
}
