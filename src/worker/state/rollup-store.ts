import {
  type BucketData,
  DAY,
  FIVE_MIN,
  HOUR,
  mergeBuckets,
  RollupAccumulator,
  type RollupState,
} from "../../core/sla/rollup.ts";
import type { CountingSql } from "../storage/sql.ts";

/** Hourly rollups are kept this long; daily ones ROLLUP_DAY_KEEP_MS (over 13 months). */
const ROLLUP_HOUR_KEEP_MS = 90 * DAY;
const ROLLUP_DAY_KEEP_MS = 400 * DAY;
const ROLLUP_TABLES = { m5: "rollup_5m", h1: "rollup_1h", d1: "rollup_1d" } as const;

/** Rollup bookkeeping saved with each checkpoint, next to the open buckets. */
export interface RollupMeta {
  acc: RollupState;
  /** Hours before this are compacted into rollup_1h; days before hoursDoneUntil's day into rollup_1d. */
  hoursDoneUntil?: number;
  daysDoneUntil?: number;
  rowsWritten: number;
}

/** Merged rollup cells per key over a range, plus what they cover. */
export interface RollupRead {
  cells: BucketData;
  buckets: number;
}

/**
 * The state object's rollups: time per state, probe counts and latency sketches per monitor and
 * vantage in 5-minute, hourly and daily buckets. A closed period is one row for the whole shard
 * (never a row per monitor), so rollups cost a few rows per 5 minutes whatever the probe count.
 */
export class RollupStore {
  private readonly db: CountingSql;
  acc = new RollupAccumulator();
  private meta: Omit<RollupMeta, "acc"> = { rowsWritten: 0 };

  constructor(db: CountingSql) {
    this.db = db;
  }

  init(): void {
    // One row per bucket period for the whole shard; the start time is the primary key (no index).
    for (const table of Object.values(ROLLUP_TABLES)) {
      this.db.run(`CREATE TABLE IF NOT EXISTS ${table} (start INTEGER PRIMARY KEY, data TEXT NOT NULL)`);
    }
  }

  restore(saved: RollupMeta): void {
    this.acc = new RollupAccumulator(saved.acc);
    this.meta = {
      hoursDoneUntil: saved.hoursDoneUntil,
      daysDoneUntil: saved.daysDoneUntil,
      rowsWritten: saved.rowsWritten,
    };
  }

  /** What a checkpoint keeps: the open buckets and the compaction marks. */
  toJSON(): RollupMeta {
    return { ...this.meta, acc: this.acc.state };
  }

  /** Rows these rollups have written (a part of the state object's rows). */
  get rowsWritten(): number {
    return this.meta.rowsWritten;
  }

  /**
   * Writes the rollup buckets that closed (one row per 5-minute period for the whole shard), then
   * compacts finished hours and days. Runs with the checkpoint, so at most a few rows per 5 min.
   */
  flush(now: number): void {
    const before = this.db.rowsWritten;
    for (const b of this.acc.takeClosed(now)) {
      this.db.run(
        `INSERT INTO ${ROLLUP_TABLES.m5} (start, data) VALUES (?, ?) ON CONFLICT (start) DO UPDATE SET data = excluded.data`,
        b.start,
        JSON.stringify(b.data),
      );
    }
    const closedUntil = this.acc.state.closedUntil;
    let hour = this.meta.hoursDoneUntil ?? this.firstStart(ROLLUP_TABLES.m5, HOUR);
    if (hour !== undefined) {
      for (; hour + HOUR <= closedUntil; hour += HOUR)
        this.compact(ROLLUP_TABLES.m5, ROLLUP_TABLES.h1, hour, HOUR);
      this.meta.hoursDoneUntil = hour;
      let day = this.meta.daysDoneUntil ?? this.firstStart(ROLLUP_TABLES.h1, DAY);
      if (day !== undefined) {
        for (; day + DAY <= hour; day += DAY) this.compact(ROLLUP_TABLES.h1, ROLLUP_TABLES.d1, day, DAY);
        this.meta.daysDoneUntil = day;
      }
    }
    this.meta.rowsWritten += this.db.rowsWritten - before;
  }

  private firstStart(table: string, size: number): number | undefined {
    const first = this.db.one<{ s: number | null }>(`SELECT MIN(start) AS s FROM ${table}`)?.s;
    return first === null || first === undefined ? undefined : Math.floor(first / size) * size;
  }

  /** Merges the finer rows of [start, start + size) into one coarser row (none when there are none). */
  private compact(from: string, to: string, start: number, size: number): void {
    const rows = this.db.all<{ data: string }>(
      `SELECT data FROM ${from} WHERE start >= ? AND start < ? ORDER BY start`,
      start,
      start + size,
    );
    if (rows.length === 0) return;
    const merged = mergeBuckets(rows.map((r) => JSON.parse(r.data) as BucketData));
    this.db.run(
      `INSERT INTO ${to} (start, data) VALUES (?, ?) ON CONFLICT (start) DO UPDATE SET data = excluded.data`,
      start,
      JSON.stringify(merged),
    );
  }

  prune(now: number, rawDays: number): void {
    const before = this.db.rowsWritten;
    // 5-minute rows live as long as raw results, and never before their hour is compacted.
    const m5Until = Math.min(now - rawDays * DAY, this.meta.hoursDoneUntil ?? 0);
    this.db.run(`DELETE FROM ${ROLLUP_TABLES.m5} WHERE start < ?`, m5Until);
    const h1Until = Math.min(now - ROLLUP_HOUR_KEEP_MS, this.meta.daysDoneUntil ?? 0);
    this.db.run(`DELETE FROM ${ROLLUP_TABLES.h1} WHERE start < ?`, h1Until);
    this.db.run(`DELETE FROM ${ROLLUP_TABLES.d1} WHERE start < ?`, now - ROLLUP_DAY_KEEP_MS);
    this.meta.rowsWritten += this.db.rowsWritten - before;
  }

  /**
   * Rollup cells of the given monitors over [from, to): whole days inside the range from the daily
   * rows, whole hours from the hourly ones, the rest from 5-minute rows and the open buckets that
   * overlap the range (calendar months in any zone fall on 5-minute boundaries, so they are exact).
   */
  read(q: { monitorIds: string[]; from: number; to: number }): RollupRead {
    const wanted = new Set(q.monitorIds);
    const covered: [number, number][] = [];
    const isCovered = (s: number) => covered.some(([a, b]) => s >= a && s < b);
    const parts: BucketData[] = [];
    const take = (start: number, size: number, data: BucketData) => {
      if (isCovered(start)) return;
      covered.push([start, start + size]);
      const picked: BucketData = {};
      for (const [k, c] of Object.entries(data))
        if (wanted.has(k.slice(0, k.lastIndexOf("|")))) picked[k] = c;
      parts.push(picked);
    };
    // Coarse rows only when wholly inside; 5-minute rows when they overlap the range.
    const rows = (table: string, from: number, to: number) =>
      this.db.all<{ start: number; data: string }>(
        `SELECT start, data FROM ${table} WHERE start >= ? AND start < ? ORDER BY start`,
        from,
        to,
      );
    for (const r of rows(ROLLUP_TABLES.d1, q.from, q.to - DAY + 1)) take(r.start, DAY, JSON.parse(r.data));
    for (const r of rows(ROLLUP_TABLES.h1, q.from, q.to - HOUR + 1)) take(r.start, HOUR, JSON.parse(r.data));
    for (const r of rows(ROLLUP_TABLES.m5, q.from - FIVE_MIN + 1, q.to))
      take(r.start, FIVE_MIN, JSON.parse(r.data));
    for (const b of this.acc.openBetween(q.from - FIVE_MIN + 1, q.to)) take(b.start, FIVE_MIN, b.data);
    return { cells: mergeBuckets(parts), buckets: parts.length };
  }
}
