import { DurableObject } from "cloudflare:workers";
import type { AlertEvent } from "../../core/alerts/event.ts";
import type { SecretLookup } from "../../core/alerts/providers/contract.ts";
import { renderAlert } from "../../core/alerts/providers/index.ts";
import { routeAlert } from "../../core/alerts/route.ts";
import { runLimited } from "../../core/limiter.ts";
import { requireSecret } from "../../core/secrets.ts";
import { isSilenced, type Silence } from "../../core/silence/silence.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { CountingSql } from "../storage/sql.ts";
import { send } from "./delivery.ts";
import { SilenceStore } from "./silence-store.ts";

export type DeliveryStatus = "pending" | "sent" | "dead";

export interface DeliveryRow {
  key: string;
  channel: string;
  status: DeliveryStatus;
  attempts: number;
  nextAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  event: AlertEvent;
}

type Row = {
  key: string;
  channel: string;
  status: string;
  attempts: number;
  next_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  event: string;
};

const BATCH = 24;

/**
 * The alert outbox: one delivery per (alert id, channel), idempotent however often an alert is
 * enqueued; delivered by this object's alarm, never on the probe path, with retries, backoff,
 * `Retry-After`, and a dead letter after `alerts.maxAttempts`. Everything is in SQLite, so a
 * restart resumes where it stopped. It also owns what decides whether an alert goes out at all:
 * the admin silences, and the marker of the last monthly SLA report sent.
 */
export class AlertOutboxDO extends DurableObject<Env> {
  private readonly db: CountingSql;
  private readonly silenceStore: SilenceStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = new CountingSql(ctx.storage.sql);
    this.silenceStore = new SilenceStore(ctx.storage.kv);
    ctx.blockConcurrencyWhile(async () => {
      this.db.run(`CREATE TABLE IF NOT EXISTS deliveries (
        key TEXT PRIMARY KEY, channel TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
        next_at INTEGER NOT NULL, last_error TEXT, created_at INTEGER NOT NULL, sent_at INTEGER, event TEXT NOT NULL)`);
    });
  }

  async enqueue(events: AlertEvent[]): Promise<{ queued: number }> {
    const config = loadConfig(this.env);
    const now = Date.now();
    let queued = 0;
    // Silences (admin API) mute alerts about the monitors they cover; checker alerts are never muted.
    const silenceList = this.silenceStore.list();
    for (const event of events) {
      if (event.monitor && isSilenced(silenceList, event.monitor, now)) continue;
      for (const channel of routeAlert(event, config.alerts)) {
        const before = this.db.rowsWritten;
        this.db.run(
          `INSERT INTO deliveries (key, channel, status, attempts, next_at, created_at, event)
           VALUES (?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
          `${event.id}|${channel}`,
          channel,
          now,
          now,
          JSON.stringify(event),
        );
        if (this.db.rowsWritten > before) queued++;
      }
    }
    if (queued > 0) await this.armFor(now);
    return { queued };
  }

  private async armFor(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    const config = loadConfig(this.env);
    const now = Date.now();
    const due = this.db.all<Row>(
      "SELECT * FROM deliveries WHERE status = 'pending' AND next_at <= ? ORDER BY created_at LIMIT ?",
      now,
      BATCH,
    );
    const secret: SecretLookup = (ref) => requireSecret(this.env, ref);
    await runLimited(due, 6, async (row) => {
      const attempts = row.attempts + 1;
      const channel = config.alerts.channels.find((c) => c.id === row.channel);
      let outcome: Awaited<ReturnType<typeof send>>;
      if (!channel) outcome = { kind: "fail", error: `channel '${row.channel}' is no longer configured` };
      else {
        try {
          const request = await renderAlert(
            JSON.parse(row.event) as AlertEvent,
            channel,
            secret,
            new Date(now),
          );
          outcome = await send(request, attempts, Date.now());
        } catch (e) {
          outcome = { kind: "retry", afterMs: 60_000, error: (e as Error).message };
        }
      }
      const finished = Date.now();
      if (outcome.kind === "sent") {
        this.db.run(
          "UPDATE deliveries SET status = 'sent', attempts = ?, sent_at = ?, last_error = NULL WHERE key = ?",
          attempts,
          finished,
          row.key,
        );
      } else {
        const dead = outcome.kind === "fail" || attempts >= config.alerts.maxAttempts;
        this.db.run(
          "UPDATE deliveries SET status = ?, attempts = ?, next_at = ?, last_error = ? WHERE key = ?",
          dead ? "dead" : "pending",
          attempts,
          outcome.kind === "retry" ? finished + outcome.afterMs : finished,
          outcome.error,
          row.key,
        );
      }
    });
    const next = this.db.one<{ at: number | null }>(
      "SELECT MIN(next_at) AS at FROM deliveries WHERE status = 'pending'",
    )?.at;
    if (next !== null && next !== undefined)
      await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 100));
  }

  /** Alert silences (admin API). */
  async silences(): Promise<Silence[]> {
    return this.silenceStore.list();
  }

  async putSilence(silence: Silence): Promise<Silence[]> {
    return this.silenceStore.put(silence, Date.now());
  }

  async deleteSilence(id: string): Promise<boolean> {
    return this.silenceStore.delete(id);
  }

  /** The last month (YYYY-MM) whose SLA report went to the alert channels. */
  async lastMonthlyReport(): Promise<string | undefined> {
    return this.ctx.storage.kv.get<string>("monthly-report");
  }

  async setLastMonthlyReport(month: string): Promise<void> {
    this.ctx.storage.kv.put("monthly-report", month);
  }

  async list(q: { status?: DeliveryStatus; limit: number }): Promise<DeliveryRow[]> {
    const rows = q.status
      ? this.db.all<Row>(
          "SELECT * FROM deliveries WHERE status = ? ORDER BY created_at DESC LIMIT ?",
          q.status,
          q.limit,
        )
      : this.db.all<Row>("SELECT * FROM deliveries ORDER BY created_at DESC LIMIT ?", q.limit);
    return rows.map((r) => ({
      key: r.key,
      channel: r.channel,
      status: r.status as DeliveryStatus,
      attempts: r.attempts,
      nextAt: r.next_at,
      lastError: r.last_error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      event: JSON.parse(r.event) as AlertEvent,
    }));
  }
}
