import { AGENT_PATHS, MAX_BODY_BYTES, refusalAction } from "../core/agent/protocol.ts";
import { backoffMs } from "../core/backoff.ts";
import type { ProbeRecord } from "../core/records.ts";
import type { Logger } from "./log.ts";
import { type Credentials, signedFetch } from "./signed-fetch.ts";
import { sleep } from "./sleep.ts";
import type { Spool, SpooledBatch } from "./spool.ts";

const REQUEST_TIMEOUT_MS = 30_000;
const DAY = 86_400_000;

export type SendOutcome = "idle" | "delivered" | "set_aside" | "retry";

interface ReporterOptions {
  creds: Credentials;
  agentId: string;
  agentVersion: string;
  spool: Spool;
  log: Logger;
  maxSpoolAgeDays: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null;

/**
 * Sends spooled batches to the Worker, oldest first, one at a time, each signed afresh. A batch is
 * removed from the spool only when the Worker holds it: accepted now (200), or already applied
 * before (409 duplicate_batch — a resend after a lost answer). A batch the Worker can never accept
 * (400, 403, 413 after splitting, 422) is set aside with the Worker's reason; anything else (network
 * error, 5xx, bad signature while keys are being fixed, clock skew) is retried with backoff.
 */
export class Reporter {
  private readonly o: ReporterOptions;
  private attempt = 0;
  private wake: (() => void) | undefined;

  constructor(options: ReporterOptions) {
    this.o = options;
  }

  /** Something new was sealed: stop waiting. */
  notify(): void {
    this.wake?.();
  }

  /** Sends the oldest batch, if any. */
  async sendOne(signal?: AbortSignal): Promise<SendOutcome> {
    const { spool, log } = this.o;
    const [batch] = await spool.list();
    if (!batch) return "idle";
    if (Date.now() - batch.createdAt > this.o.maxSpoolAgeDays * DAY) {
      await spool.reject(batch, {
        error: "expired",
        message: `undelivered for more than ${this.o.maxSpoolAgeDays} days`,
      });
      log.error("batch_expired", { batchId: batch.batchId, createdAt: batch.createdAt });
      return "set_aside";
    }
    const records = await spool.read(batch);
    if (records.length === 0) {
      await spool.ack(batch);
      log.warn("batch_empty", { batchId: batch.batchId });
      return "delivered";
    }
    const body = this.body(batch, records);
    if (Buffer.byteLength(body) > MAX_BODY_BYTES && records.length > 1) {
      const halves = await spool.split(batch, records);
      log.info("batch_split", { batchId: batch.batchId, into: halves.map((h) => h.batchId) });
      return "delivered";
    }
    let answer: Awaited<ReturnType<typeof signedFetch>>;
    try {
      answer = await signedFetch(this.o.creds, "POST", AGENT_PATHS.results, body, REQUEST_TIMEOUT_MS, signal);
    } catch (err) {
      log.warn("batch_send_failed", { batchId: batch.batchId, error: (err as Error).message });
      return "retry";
    }
    const reply: Record<string, unknown> = isObj(answer.json) ? answer.json : {};
    const code = typeof reply.error === "string" ? reply.error : undefined;
    if (answer.status === 200) {
      await spool.ack(batch);
      // The Worker keeps one result per monitor and interval slot; it names those it did not keep.
      const applied = typeof reply.applied === "number" ? reply.applied : records.length;
      const duplicates = Array.isArray(reply.duplicates) ? reply.duplicates.length : 0;
      log.info("batch_delivered", { batchId: batch.batchId, records: records.length, applied, duplicates });
      return "delivered";
    }
    if (answer.status === 413 && records.length > 1) {
      const halves = await spool.split(batch, records);
      log.info("batch_split", { batchId: batch.batchId, into: halves.map((h) => h.batchId), status: 413 });
      return "delivered";
    }
    const action = refusalAction(answer.status, code);
    const fields = { batchId: batch.batchId, status: answer.status, code, message: reply.message };
    if (action === "delivered") {
      await spool.ack(batch);
      log.info("batch_already_delivered", { batchId: batch.batchId, records: records.length });
      return "delivered";
    }
    if (action === "drop") {
      await spool.reject(batch, answer.json ?? { status: answer.status });
      log.error("batch_rejected", fields);
      return "set_aside";
    }
    if (code === "clock_skew" && typeof reply.serverTime === "number") {
      log.error("clock_skew", { ...fields, offsetMs: Date.now() - reply.serverTime });
    } else {
      log.warn("batch_refused_will_retry", fields);
    }
    return "retry";
  }

  private body(batch: SpooledBatch, records: ProbeRecord[]): string {
    return JSON.stringify({
      agentId: this.o.agentId,
      batchId: batch.batchId,
      createdAt: batch.createdAt,
      agentVersion: this.o.agentVersion,
      records,
    });
  }

  /** Drains until `signal` aborts: sends while there is work, backs off on trouble, sleeps when idle. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let outcome: SendOutcome;
      try {
        outcome = await this.sendOne(signal);
      } catch (err) {
        this.o.log.error("reporter_error", { error: (err as Error).message });
        outcome = "retry";
      }
      if (outcome === "retry") {
        await sleep(backoffMs(this.attempt++, 1000, 60_000), signal);
        continue;
      }
      this.attempt = 0;
      if (outcome === "idle") {
        await new Promise<void>((resolve) => {
          const done = () => {
            this.wake = undefined;
            clearTimeout(t);
            signal.removeEventListener("abort", done);
            resolve();
          };
          const t = setTimeout(done, 1000);
          this.wake = done;
          signal.addEventListener("abort", done, { once: true });
        });
      }
    }
  }

  /** Tries to deliver everything within `ms` (shutdown); stops at the first failure. */
  async flush(ms: number): Promise<number> {
    const until = Date.now() + ms;
    let sent = 0;
    while (Date.now() < until) {
      const outcome = await this.sendOne(AbortSignal.timeout(Math.max(1, until - Date.now()))).catch(
        () => "retry" as const,
      );
      if (outcome === "idle" || outcome === "retry") break;
      sent++;
    }
    return sent;
  }
}
