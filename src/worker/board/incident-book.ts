import type { Incident } from "../../core/state/incident.ts";
import type { CountingSql } from "../storage/sql.ts";

export interface IncidentNote {
  at: number;
  text: string;
}

export interface IncidentQuery {
  monitorId?: string;
  status: "open" | "closed" | "all";
  limit: number;
}

/** Incidents as the state objects report them, and the notes admins add to them. */
export class IncidentBook {
  private readonly db: CountingSql;
  private readonly kv: SyncKvStorage;

  constructor(db: CountingSql, kv: SyncKvStorage) {
    this.db = db;
    this.kv = kv;
  }

  init(): void {
    this.db.run(
      "CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, monitor TEXT NOT NULL, opened_at INTEGER NOT NULL, closed_at INTEGER, data TEXT NOT NULL)",
    );
  }

  record(incidents: readonly Incident[]): void {
    for (const i of incidents) {
      this.db.run(
        "INSERT INTO incidents (id, monitor, opened_at, closed_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET closed_at = excluded.closed_at, data = excluded.data",
        i.id,
        i.monitorId,
        i.openedAt,
        i.closedAt ?? null,
        JSON.stringify(i),
      );
    }
  }

  list(q: IncidentQuery): Incident[] {
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

  /** One monitor's incidents that overlap [from, to). */
  overlapping(monitorId: string, from: number, to: number): Incident[] {
    return this.db
      .all<{ data: string }>(
        "SELECT data FROM incidents WHERE monitor = ? AND opened_at < ? AND (closed_at IS NULL OR closed_at > ?)",
        monitorId,
        to,
        from,
      )
      .map((r) => JSON.parse(r.data) as Incident);
  }

  /** Adds a note; null when there is no such incident. Notes come back oldest first. */
  addNote(incidentId: string, note: IncidentNote): IncidentNote[] | null {
    if (!this.db.one("SELECT id FROM incidents WHERE id = ?", incidentId)) return null;
    const notes = [...(this.kv.get<IncidentNote[]>(`notes:${incidentId}`) ?? []), note];
    this.kv.put(`notes:${incidentId}`, notes);
    return notes;
  }

  notes(incidentIds: readonly string[]): Record<string, IncidentNote[]> {
    const out: Record<string, IncidentNote[]> = {};
    for (const id of incidentIds) {
      const notes = this.kv.get<IncidentNote[]>(`notes:${id}`);
      if (notes?.length) out[id] = notes;
    }
    return out;
  }
}
