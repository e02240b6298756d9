import type { StartTally } from "../../core/start-tally.ts";
import type { Incident } from "../../core/state/incident.ts";
import type { MonitorMemory } from "../../core/state/monitor.ts";
import type { NetworkView } from "../../core/state/network.ts";
import type { CountingSql } from "../storage/sql.ts";
import type { MonitorAlerting } from "./alerting.ts";
import type { RollupMeta } from "./rollup-store.ts";

/** Monitors per memory row: rows stay small, and a checkpoint of 1,000 monitors is five rows. */
const CHECKPOINT_CHUNK = 200;

export interface Checkpoint {
  at: number;
  lastBatchId: number;
  network: ReturnType<NetworkView["toJSON"]>;
  openIncidents: Incident[];
  counters?: {
    batches: number;
    records: number;
    duplicateSlots?: number;
    activeMs?: number;
    activeSpans?: number;
    starts?: StartTally;
  };
  rowsWritten?: number;
  alerts?: ReturnType<MonitorAlerting["toJSON"]>;
}

/** What a state object starts from: the last checkpoint, if any, and what was saved beside it. */
export interface Restored {
  shard?: string;
  checkpoint?: Checkpoint;
  memory: [string, MonitorMemory][];
  rollup?: RollupMeta;
}

/**
 * A state object's checkpoint in its `meta` table: per-monitor memory in chunks, the rollup
 * accumulator, and the rest (network view, open incidents, alert memory, counters) in one row.
 * Between checkpoints the batch log holds what happened; restore replays it on top.
 */
export class CheckpointStore {
  private readonly db: CountingSql;

  constructor(db: CountingSql) {
    this.db = db;
  }

  init(): void {
    this.db.run("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
  }

  load(): Restored {
    const meta = new Map(
      this.db.all<{ k: string; v: string }>("SELECT k, v FROM meta").map((r) => [r.k, r.v]),
    );
    const restored: Restored = { shard: meta.get("shard"), memory: [] };
    const checkpoint = meta.get("checkpoint");
    if (checkpoint === undefined) return restored;
    restored.checkpoint = JSON.parse(checkpoint) as Checkpoint;
    const rollup = meta.get("rollup");
    if (rollup !== undefined) restored.rollup = JSON.parse(rollup) as RollupMeta;
    for (const [k, v] of meta) {
      if (k.startsWith("memory:")) restored.memory.push(...(JSON.parse(v) as [string, MonitorMemory][]));
    }
    return restored;
  }

  saveShard(shard: string): void {
    this.put("shard", shard);
  }

  /** Writes a checkpoint; `checkpoint.rowsWritten` should count the rows this call writes. */
  save(
    memory: ReadonlyMap<string, MonitorMemory>,
    rollup: RollupMeta,
    checkpoint: (rows: number) => Checkpoint,
  ): void {
    const entries = [...memory];
    const chunks = Math.ceil(entries.length / CHECKPOINT_CHUNK);
    for (let i = 0; i < chunks; i++) {
      this.put(
        `memory:${i}`,
        JSON.stringify(entries.slice(i * CHECKPOINT_CHUNK, (i + 1) * CHECKPOINT_CHUNK)),
      );
    }
    this.db.run("DELETE FROM meta WHERE k LIKE 'memory:%' AND CAST(substr(k, 8) AS INTEGER) >= ?", chunks);
    this.put("rollup", JSON.stringify(rollup));
    this.put("checkpoint", JSON.stringify(checkpoint(this.db.rowsWritten + 1)));
  }

  private put(k: string, v: string): void {
    this.db.run("INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", k, v);
  }
}
