import type { MonitorView } from "../state/shard-report.ts";
import type { CountingSql } from "../storage/sql.ts";
import { SNAPSHOT_KEY, type Snapshot } from "./snapshot.ts";

/** KV allows one write per second per key; state changes wait no longer than that. */
const MIN_WRITE_GAP_MS = 1_000;
/** When only heights and latencies moved, the public copy is refreshed at most this often. */
const VOLATILE_WRITE_GAP_MS = 60_000;

interface FlushRecord {
  lastWriteAt: number;
  counters: { reports: number; kvWrites: number };
  rowsWritten: number;
}

/**
 * The public snapshot in KV: the latest view of every monitor (one row per state shard), written
 * when something changed, coalesced — at once (≤ 1/s) for a state change, at most once a minute
 * when only numbers moved. The owner's alarm calls flush(); `due()` says when.
 */
export class SnapshotPublisher {
  lastWriteAt = 0;
  dirty: "none" | "volatile" | "state" = "none";
  readonly counters = { reports: 0, kvWrites: 0 };

  private readonly db: CountingSql;
  private readonly kv: SyncKvStorage;

  constructor(db: CountingSql, kv: SyncKvStorage) {
    this.db = db;
    this.kv = kv;
  }

  init(): void {
    this.db.run("CREATE TABLE IF NOT EXISTS shards (name TEXT PRIMARY KEY, data TEXT NOT NULL)");
    const saved = this.kv.get<FlushRecord>("flush");
    if (saved) {
      this.lastWriteAt = saved.lastWriteAt;
      Object.assign(this.counters, saved.counters);
      this.db.rowsWritten += saved.rowsWritten;
    }
  }

  /** A state shard's current views; `significant` when a state or incident changed. */
  update(shard: string, monitors: readonly MonitorView[], significant: boolean): void {
    this.counters.reports++;
    this.db.run(
      "INSERT INTO shards (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data",
      shard,
      JSON.stringify(monitors),
    );
    this.markDirty(significant);
  }

  markDirty(significant: boolean): void {
    this.dirty = significant || this.dirty === "state" ? "state" : "volatile";
  }

  /** When the next write may happen, given what changed. */
  due(now: number): number {
    const gap = this.dirty === "state" ? MIN_WRITE_GAP_MS : VOLATILE_WRITE_GAP_MS;
    return Math.max(now, this.lastWriteAt + gap);
  }

  monitors(): MonitorView[] {
    return this.db
      .all<{ data: string }>("SELECT data FROM shards ORDER BY name")
      .flatMap((r) => JSON.parse(r.data) as MonitorView[]);
  }

  async flush(snapshot: Snapshot, target: KVNamespace): Promise<void> {
    await target.put(SNAPSHOT_KEY, JSON.stringify(snapshot));
    this.counters.kvWrites++;
    this.lastWriteAt = snapshot.generatedAt;
    this.dirty = "none";
    const record: FlushRecord = {
      lastWriteAt: this.lastWriteAt,
      counters: this.counters,
      rowsWritten: this.db.rowsWritten + 1, // counting the row this put writes
    };
    this.kv.put("flush", record);
    this.db.rowsWritten += 1;
  }
}
