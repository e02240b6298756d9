import type { ProbeBatch, ProbeRecord } from "../../core/records.ts";
import type { ProbePhase, ProbeTimings } from "../../core/result.ts";
import type { Verdict } from "../../core/verdict.ts";
import type { CountingSql } from "../storage/sql.ts";

export interface HistoryQuery {
  monitorId: string;
  from: number;
  to: number;
  limit: number;
}

export interface HistoryPoint {
  at: number;
  /** When the result reached the state object: `at` plus the probe and its delivery. */
  receivedAt: number;
  vantage: string;
  state: Verdict["state"];
  latencyMs: number;
  height?: number;
  error?: string;
  phase?: ProbePhase;
  timings?: ProbeTimings;
  reasons: string[];
}

interface StoredBatch {
  vantage: string;
  records: ProbeRecord[];
  verdicts: Verdict[];
}

/** Records reach the log at most this long after they started (probe timeout plus delivery). */
const MAX_DELIVERY_LAG_MS = 150_000;

/**
 * Raw results, one row per batch. The row id is the ingest time in microsecond-ish units, so a
 * time range is a primary-key range and no extra index (which would cost a row write) is needed.
 */
export class BatchLog {
  private readonly db: CountingSql;
  private last = 0;

  constructor(db: CountingSql) {
    this.db = db;
  }

  init(): void {
    this.db.run("CREATE TABLE IF NOT EXISTS batches (id INTEGER PRIMARY KEY, data TEXT NOT NULL)");
    this.last = this.db.one<{ id: number | null }>("SELECT MAX(id) AS id FROM batches")?.id ?? 0;
  }

  lastId(): number {
    return this.last;
  }

  append(at: number, batch: ProbeBatch, verdicts: Verdict[]): void {
    const id = Math.max(at * 1000, this.last + 1);
    const stored: StoredBatch = { vantage: batch.vantage, records: batch.records, verdicts };
    this.db.run("INSERT INTO batches (id, data) VALUES (?, ?)", id, JSON.stringify(stored));
    this.last = id;
  }

  after(id: number): StoredBatch[] {
    return this.db
      .all<{ data: string }>("SELECT data FROM batches WHERE id > ? ORDER BY id", id)
      .map((r) => JSON.parse(r.data) as StoredBatch);
  }

  prune(before: number): void {
    this.db.run("DELETE FROM batches WHERE id < ?", before * 1000);
  }

  history(q: HistoryQuery): HistoryPoint[] {
    const rows = this.db.all<{ id: number; data: string }>(
      "SELECT id, data FROM batches WHERE id >= ? AND id < ? ORDER BY id",
      q.from * 1000,
      (q.to + MAX_DELIVERY_LAG_MS) * 1000,
    );
    const out: HistoryPoint[] = [];
    for (const row of rows) {
      const batch = JSON.parse(row.data) as StoredBatch;
      batch.records.forEach((r, i) => {
        if (r.monitorId !== q.monitorId || r.checkedAt < q.from || r.checkedAt > q.to) return;
        const verdict = batch.verdicts[i];
        out.push({
          at: r.checkedAt,
          receivedAt: Math.floor(row.id / 1000),
          vantage: r.vantage,
          state: verdict?.state ?? "unknown",
          latencyMs: r.result.latencyMs,
          height: r.result.facts?.height,
          error: r.result.error?.kind,
          phase: r.result.phase,
          timings: r.result.timings,
          reasons: verdict?.reasons.map((x) => x.message) ?? [],
        });
      });
    }
    out.sort((a, b) => a.at - b.at);
    return out.slice(-q.limit);
  }
}
