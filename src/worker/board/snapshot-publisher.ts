import type { ActiveTotals } from "../../core/cost/active-time.ts";
import type { LatencySeries } from "../state/latency-series.ts";
import type { MonitorView } from "../state/shard-report.ts";
import type { CountingSql } from "../storage/sql.ts";
import {
  PAGE_EXTRAS_KEY,
  type PageExtras,
  PUBLIC_VERSION_KEY,
  SNAPSHOT_KEY,
  type Snapshot,
} from "./snapshot.ts";

/**
 * State changes are published at most this often. Every publication is a new version that each
 * reading isolate parses and renders once, so a burst of changes during an incident (when readers
 * are most numerous) costs one version per 5 s, not one per change; KV's own limit is 1 write/s.
 */
const MIN_WRITE_GAP_MS = 5_000;
/** When only heights and latencies moved, the public copy is refreshed at most this often. */
const VOLATILE_WRITE_GAP_MS = 60_000;
/**
 * A shard's full report is kept in parts of at most this many characters of JSON: a SQLite row on
 * Cloudflare holds at most 2 MB, and one network of a few thousand monitors is more than that.
 */
export const SHARD_PART_CHARS = 1_000_000;

/** Views cut into JSON arrays of at most `limit` characters each (one view over it gets a part alone). */
export function partsOf(views: readonly MonitorView[], limit = SHARD_PART_CHARS): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const view of views) {
    const json = JSON.stringify(view);
    if (current.length > 0 && size + json.length + 1 > limit) {
      parts.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += json.length + 1;
  }
  parts.push(`[${current.join(",")}]`);
  return parts;
}

interface FlushRecord {
  lastWriteAt: number;
  counters: { reports: number; kvWrites: number; flushes?: number };
  rowsWritten: number;
  active?: ActiveTotals;
}

/**
 * The public snapshot in KV: the latest view of every monitor (a state shard's full report in one
 * row per megabyte of it, a row per monitor for a change since: the change costs one row, not the
 * shard), written
 * when something changed, coalesced — at once (≤ 1/s) for a state change, at most once a minute
 * when only numbers moved. The owner's alarm calls flush(); `due()` says when.
 */
export class SnapshotPublisher {
  lastWriteAt = 0;
  dirty: "none" | "volatile" | "state" = "none";
  /** flushes: publications (one alarm each); kvWrites: the keys they wrote. */
  readonly counters = { reports: 0, kvWrites: 0, flushes: 0 };

  private readonly db: CountingSql;
  private readonly kv: SyncKvStorage;

  constructor(db: CountingSql, kv: SyncKvStorage) {
    this.db = db;
    this.kv = kv;
  }

  /** Creates the tables and restores the counters; returns the saved active time. */
  init(): ActiveTotals | undefined {
    // `shards` (one row per shard) held reports that may outgrow a row; its rows were a cache of the
    // last full report, which the next one (within a minute) writes again in parts.
    this.db.run("DROP TABLE IF EXISTS shards");
    this.db.run(
      "CREATE TABLE IF NOT EXISTS shard_parts (name TEXT NOT NULL, part INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (name, part))",
    );
    this.db.run("CREATE TABLE IF NOT EXISTS shard_latency (name TEXT PRIMARY KEY, data TEXT NOT NULL)");
    this.db.run(
      "CREATE TABLE IF NOT EXISTS changed_views (id TEXT PRIMARY KEY, shard TEXT NOT NULL, data TEXT NOT NULL)",
    );
    const saved = this.kv.get<FlushRecord>("flush");
    if (saved) {
      this.lastWriteAt = saved.lastWriteAt;
      Object.assign(this.counters, saved.counters);
      this.db.rowsWritten += saved.rowsWritten;
    }
    return saved?.active;
  }

  /**
   * Saves the counters with the work they count. An idle object is evicted (after 10 s in workerd,
   * 70–140 s on Cloudflare) and one that waited for its next flush lost what it counted since: at
   * 5,000 monitors every 60 s the board's rows-written figure fell during a bench window. One row
   * per report; the report itself writes at least one.
   */
  saveCounters(active: ActiveTotals): void {
    const record: FlushRecord = {
      lastWriteAt: this.lastWriteAt,
      counters: this.counters,
      rowsWritten: this.db.rowsWritten + 1, // counting the row this put writes
      active,
    };
    this.kv.put("flush", record);
    this.db.rowsWritten += 1;
  }

  /**
   * A state shard's views: all of them (`full`, replacing the shard's row and the changes recorded
   * since), or only the monitors that changed (a row each). `significant` when a state or incident
   * changed.
   */
  update(shard: string, monitors: readonly MonitorView[], significant: boolean, full = true): void {
    this.counters.reports++;
    if (full) {
      const parts = partsOf(monitors);
      for (const [part, data] of parts.entries())
        this.db.run(
          "INSERT INTO shard_parts (name, part, data) VALUES (?, ?, ?) ON CONFLICT (name, part) DO UPDATE SET data = excluded.data",
          shard,
          part,
          data,
        );
      this.db.run("DELETE FROM shard_parts WHERE name = ? AND part >= ?", shard, parts.length);
      this.db.run("DELETE FROM changed_views WHERE shard = ?", shard);
    } else {
      for (const view of monitors)
        this.db.run(
          "INSERT INTO changed_views (id, shard, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET shard = excluded.shard, data = excluded.data",
          view.id,
          shard,
          JSON.stringify(view),
        );
    }
    this.markDirty(significant);
  }

  /**
   * A state shard's latency charts; they ride along with the next publication. `partial`: charts of
   * some monitors only, added to the shard's (a whole set replaces them, dropping removed monitors).
   */
  updateLatency(shard: string, latency: Record<string, LatencySeries>, partial = false): void {
    const held = partial
      ? this.db.all<{ data: string }>("SELECT data FROM shard_latency WHERE name = ?", shard)[0]
      : undefined;
    const merged = held
      ? { ...(JSON.parse(held.data) as Record<string, LatencySeries>), ...latency }
      : latency;
    this.db.run(
      "INSERT INTO shard_latency (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data",
      shard,
      JSON.stringify(merged),
    );
  }

  latency(): Record<string, LatencySeries> {
    const out: Record<string, LatencySeries> = {};
    for (const r of this.db.all<{ data: string }>("SELECT data FROM shard_latency ORDER BY name")) {
      Object.assign(out, JSON.parse(r.data));
    }
    return out;
  }

  markDirty(significant: boolean): void {
    this.dirty = significant || this.dirty === "state" ? "state" : "volatile";
  }

  /** When the next write may happen, given what changed. */
  due(now: number): number {
    const gap = this.dirty === "state" ? MIN_WRITE_GAP_MS : VOLATILE_WRITE_GAP_MS;
    return Math.max(now, this.lastWriteAt + gap);
  }

  /** Every monitor's latest view: its shard's full report, overlaid with the changes since. */
  monitors(): MonitorView[] {
    const changed = new Map(
      this.db
        .all<{ id: string; data: string }>("SELECT id, data FROM changed_views")
        .map((r) => [r.id, JSON.parse(r.data) as MonitorView]),
    );
    const out = this.db
      .all<{ data: string }>("SELECT data FROM shard_parts ORDER BY name, part")
      .flatMap((r) => JSON.parse(r.data) as MonitorView[])
      .map((v) => {
        const newer = changed.get(v.id);
        changed.delete(v.id);
        return newer ?? v;
      });
    // A monitor new since its shard's last full report.
    return [...out, ...changed.values()];
  }

  /**
   * Writes the artefacts, the page's extras first and the version last: a reader that sees a
   * version finds its snapshot, and a reader of a snapshot finds extras at least as new.
   */
  async flush(snapshot: Snapshot, extras: PageExtras, target: KVNamespace): Promise<void> {
    await target.put(PAGE_EXTRAS_KEY, JSON.stringify(extras));
    await target.put(SNAPSHOT_KEY, JSON.stringify(snapshot));
    await target.put(PUBLIC_VERSION_KEY, String(snapshot.generatedAt));
    this.counters.kvWrites += 3;
    this.counters.flushes++;
    this.lastWriteAt = snapshot.generatedAt;
    this.dirty = "none";
  }
}
