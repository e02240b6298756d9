import { DurableObject } from "cloudflare:workers";
import type { AgentHeartbeat } from "../../core/agent/heartbeat.ts";
import type { ShardPart } from "../../core/agent/scope.ts";
import { agentVantage } from "../../core/agent/vantage.ts";
import { loadConfig } from "../config.ts";
import { proberProbeNow, requestConfirmations } from "../confirm.ts";
import type { Env } from "../env.ts";
import type { ConfirmRequest } from "../state/confirmations.ts";
import type { DuplicateRecord } from "../state/monitor-state-do.ts";
import { CountingSql } from "../storage/sql.ts";

export type IngestOutcome =
  | { status: "applied"; records: number; duplicates: DuplicateRecord[] }
  | { status: "duplicate"; appliedAt: number }
  | { status: "in_progress" };

export interface AgentSeen {
  agentId?: string;
  /** Last authenticated request of any kind (batch or heartbeat), unix ms. */
  lastSeenAt?: number;
  lastBatchAt?: number;
  lastHeartbeat?: Pick<AgentHeartbeat, "sentAt" | "agentVersion" | "monitors" | "assignmentsFrom" | "spool">;
  batches: number;
  records: number;
  duplicates: number;
  rowsWritten: number;
}

/** last-seen is kept in memory and written at most this often (a heartbeat is not worth a row). */
const PERSIST_SEEN_EVERY_MS = 5 * 60_000;
const PRUNE_EVERY_MS = 6 * 3_600_000;

/**
 * One per agent: makes each batch apply exactly once and remembers when the agent was last heard.
 * A batch id is recorded (one row) together with the state objects it reached, after they accepted
 * it; a resend of a fully applied batch is answered `duplicate` and applies nothing, and a batch
 * that reached only some state objects before a failure is completed on its resend, not repeated.
 * Requests reach this object only after the API verified signature, clock skew, size and scope.
 */
export class AgentDO extends DurableObject<Env> {
  private readonly db: CountingSql;
  private readonly inFlight = new Set<string>();
  private seen: AgentSeen = { batches: 0, records: 0, duplicates: 0, rowsWritten: 0 };
  private lastPersistAt = 0;
  private heartbeatBoot?: { bootId: string; seq: number };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = new CountingSql(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => {
      this.db.run(
        "CREATE TABLE IF NOT EXISTS applied (batch_id TEXT PRIMARY KEY, at INTEGER NOT NULL, shards TEXT NOT NULL, complete INTEGER NOT NULL) WITHOUT ROWID",
      );
      this.db.run("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID");
      this.heartbeatBoot = ctx.storage.kv.get<{ bootId: string; seq: number }>("heartbeat-boot");
      const saved = this.db.one<{ v: string }>("SELECT v FROM meta WHERE k = 'seen'");
      if (saved) {
        this.seen = { ...this.seen, ...(JSON.parse(saved.v) as AgentSeen) };
        this.db.rowsWritten = this.seen.rowsWritten;
      }
    });
  }

  /** Applies a batch's parts to their state objects, once per batch id. */
  async ingest(agentId: string, batchId: string, parts: ShardPart[]): Promise<IngestOutcome> {
    const now = Date.now();
    this.heard(agentId, now);
    const row = this.db.one<{ at: number; shards: string; complete: number }>(
      "SELECT at, shards, complete FROM applied WHERE batch_id = ?",
      batchId,
    );
    if (row?.complete) {
      this.seen.duplicates++;
      return { status: "duplicate", appliedAt: row.at };
    }
    if (this.inFlight.has(batchId)) return { status: "in_progress" };
    this.inFlight.add(batchId);
    const done = new Set<string>(row ? (JSON.parse(row.shards) as string[]) : []);
    let applied = 0;
    const duplicates: DuplicateRecord[] = [];
    try {
      for (const part of parts) {
        if (done.has(part.shard)) continue;
        const stub = this.env.STATE.getByName(part.shard);
        const answer = await stub.ingest(part.shard, {
          vantage: agentVantage(agentId),
          records: part.records,
        });
        this.confirm(answer.confirm);
        done.add(part.shard);
        applied += answer.accepted;
        duplicates.push(...answer.duplicates);
      }
      this.record(batchId, now, done, true);
    } catch (err) {
      if (done.size > 0) this.record(batchId, now, done, false);
      throw err;
    } finally {
      this.inFlight.delete(batchId);
    }
    this.seen.batches++;
    this.seen.records += applied;
    this.seen.lastBatchAt = now;
    await this.afterWrite(now);
    return { status: "applied", records: applied, duplicates };
  }

  /** A failure this agent saw first is confirmed from the monitor's regions. */
  private confirm(requests: ConfirmRequest[]): void {
    if (requests.length === 0) return;
    const config = loadConfig(this.env);
    for (const r of requestConfirmations(config, requests, proberProbeNow(this.env))) {
      this.ctx.waitUntil(r.catch(() => {}));
    }
  }

  /** A heartbeat; `replayed` when this agent process already sent this sequence number. */
  async heartbeat(agentId: string, hb: AgentHeartbeat): Promise<{ status: "ok" | "replayed" }> {
    const prev = this.heartbeatBoot;
    if (prev && prev.bootId === hb.bootId && hb.seq <= prev.seq) return { status: "replayed" };
    this.heartbeatBoot = { bootId: hb.bootId, seq: hb.seq };
    // Kept in storage: a restart of this object must not reopen the replay window.
    this.ctx.storage.kv.put("heartbeat-boot", this.heartbeatBoot);
    this.db.rowsWritten++;
    const now = Date.now();
    this.heard(agentId, now);
    this.seen.lastHeartbeat = {
      sentAt: hb.sentAt,
      agentVersion: hb.agentVersion,
      monitors: hb.monitors,
      assignmentsFrom: hb.assignmentsFrom,
      spool: hb.spool,
    };
    await this.afterWrite(now);
    return { status: "ok" };
  }

  async status(): Promise<AgentSeen> {
    return { ...this.seen, rowsWritten: this.db.rowsWritten };
  }

  private heard(agentId: string, now: number): void {
    this.seen.agentId = agentId;
    this.seen.lastSeenAt = now;
  }

  private record(batchId: string, at: number, shards: Set<string>, complete: boolean): void {
    this.db.run(
      "INSERT INTO applied (batch_id, at, shards, complete) VALUES (?, ?, ?, ?) ON CONFLICT (batch_id) DO UPDATE SET shards = excluded.shards, complete = excluded.complete",
      batchId,
      at,
      JSON.stringify([...shards]),
      complete ? 1 : 0,
    );
  }

  private async afterWrite(now: number): Promise<void> {
    if (now - this.lastPersistAt >= PERSIST_SEEN_EVERY_MS) {
      this.lastPersistAt = now;
      this.seen.rowsWritten = this.db.rowsWritten + 1; // counting this upsert
      this.db.run(
        "INSERT INTO meta (k, v) VALUES ('seen', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
        JSON.stringify(this.seen),
      );
    }
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + PRUNE_EVERY_MS);
  }

  /** Forgets batch ids older than raw results are kept: a batch that old is refused anyway. */
  override async alarm(): Promise<void> {
    let keepDays = 7;
    try {
      keepDays = loadConfig(this.env).retention.rawDays;
    } catch {}
    const now = Date.now();
    // One extra day: a batch accepted at the edge of retention must still be known as applied.
    this.db.run("DELETE FROM applied WHERE at < ?", now - (keepDays + 1) * 86_400_000);
    await this.ctx.storage.setAlarm(now + PRUNE_EVERY_MS);
  }
}
