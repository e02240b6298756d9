import { randomBytes } from "node:crypto";
import type { AgentHeartbeat } from "../core/agent/heartbeat.ts";
import { AGENT_PATHS } from "../core/agent/protocol.ts";
import { agentVantage } from "../core/agent/vantage.ts";
import { Assignments } from "./assignments.ts";
import type { AgentSettings } from "./config.ts";
import type { Logger } from "./log.ts";
import { Reporter } from "./reporter.ts";
import { Scheduler } from "./scheduler.ts";
import { type Credentials, signedFetch } from "./signed-fetch.ts";
import { Spool } from "./spool.ts";

export const AGENT_VERSION = "0.1.0";

/**
 * The running agent: assignments → scheduler → spool → reporter, plus heartbeats. Every probe
 * result goes to disk as soon as it exists; batches are sealed every batchEverySec (or when full)
 * and sent until acknowledged. stop() lets running probes finish, seals what they produced and
 * gives delivery a few seconds; whatever is left stays spooled for the next start.
 */
export class Agent {
  readonly settings: AgentSettings;
  readonly spool: Spool;
  readonly assignments: Assignments;
  readonly scheduler: Scheduler;
  readonly reporter: Reporter | undefined;
  private readonly log: Logger;
  private readonly creds: Credentials | undefined;
  private readonly stopping = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private reporterLoop: Promise<void> | undefined;
  private readonly bootId = randomBytes(8).toString("hex");
  private heartbeatSeq = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(settings: AgentSettings, log: Logger) {
    this.settings = settings;
    this.log = log;
    this.creds =
      settings.workerUrl && settings.key
        ? { workerUrl: settings.workerUrl, keyId: settings.keyId, key: settings.key }
        : undefined;
    this.spool = new Spool(settings.spoolDir, settings.agentId, log);
    this.assignments = new Assignments({
      creds: this.creds,
      spoolDir: settings.spoolDir,
      fallback: settings.monitors,
      log,
    });
    this.scheduler = new Scheduler({
      vantage: agentVantage(settings.agentId),
      userAgent: `chain-uptime-agent/${AGENT_VERSION} (vantage agent:${settings.agentId})`,
      maxInFlight: settings.maxInFlight,
      monitors: () => this.assignments.monitors,
      onRecord: async (record) => {
        await this.spool.append(record);
        if (this.spool.pending >= settings.maxBatchRecords) await this.seal();
      },
      log,
    });
    this.reporter = this.creds
      ? new Reporter({
          creds: this.creds,
          agentId: settings.agentId,
          agentVersion: AGENT_VERSION,
          spool: this.spool,
          log,
          maxSpoolAgeDays: settings.maxSpoolAgeDays,
        })
      : undefined;
  }

  async start(): Promise<void> {
    await this.spool.init();
    await this.assignments.refresh();
    this.log.info("agent_started", {
      agentId: this.settings.agentId,
      version: AGENT_VERSION,
      worker: this.creds ? new URL(this.creds.workerUrl).origin : null,
      monitors: this.assignments.monitors.length,
      assignmentsFrom: this.assignments.source,
    });
    this.scheduler.start();
    this.timers.push(setInterval(() => void this.seal(), this.settings.batchEverySec * 1000));
    this.timers.push(
      setInterval(() => void this.assignments.refresh(), this.settings.assignmentsRefreshSec * 1000),
    );
    if (this.reporter) {
      this.reporterLoop = this.reporter.run(this.stopping.signal);
      void this.heartbeat();
    }
  }

  private async seal(): Promise<void> {
    try {
      const batch = await this.spool.seal();
      if (batch) {
        this.log.info("batch_spooled", { batchId: batch.batchId, records: batch.records });
        this.reporter?.notify();
      }
    } catch (err) {
      this.log.error("seal_failed", { error: (err as Error).message });
    }
  }

  private async heartbeat(): Promise<void> {
    if (!this.creds || this.stopping.signal.aborted) return;
    const spool = await this.spool.stats();
    const body: AgentHeartbeat = {
      agentId: this.settings.agentId,
      bootId: this.bootId,
      seq: this.heartbeatSeq++,
      sentAt: Date.now(),
      agentVersion: AGENT_VERSION,
      monitors: this.assignments.monitors.length,
      assignmentsFrom: this.assignments.source,
      spool,
    };
    try {
      const answer = await signedFetch(
        this.creds,
        "POST",
        AGENT_PATHS.heartbeat,
        JSON.stringify(body),
        15_000,
      );
      if (answer.status !== 200) {
        const j = answer.json as { error?: string; message?: string } | undefined;
        this.log.warn("heartbeat_refused", { status: answer.status, code: j?.error, message: j?.message });
      } else {
        this.log.debug("heartbeat", { seq: body.seq, spooled: spool.batches });
      }
    } catch (err) {
      this.log.warn("heartbeat_failed", { error: (err as Error).message });
    }
    const every = (this.assignments.heartbeatSec ?? this.settings.heartbeatSec) * 1000;
    if (!this.stopping.signal.aborted) this.heartbeatTimer = setTimeout(() => void this.heartbeat(), every);
  }

  /** Graceful stop: finish probes, seal, try to deliver for up to `deliverMs`, keep the rest spooled. */
  async stop(deliverMs = 5000): Promise<void> {
    this.log.info("agent_stopping", {});
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.heartbeatTimer);
    const longest = Math.max(1000, ...this.assignments.monitors.map((m) => m.timeoutMs));
    await this.scheduler.shutdown(Math.min(longest + 500, 15_000));
    this.stopping.abort();
    await this.reporterLoop;
    await this.seal();
    const delivered = this.reporter ? await this.reporter.flush(deliverMs) : 0;
    const left = await this.spool.stats();
    await this.spool.close();
    this.log.info("agent_stopped", { delivered, spooledBatches: left.batches, spooledRecords: left.records });
  }

  /** One round (--once): probe every monitor now, seal, deliver. */
  async runOnce(deliverMs = 15_000): Promise<void> {
    await this.spool.init();
    await this.assignments.refresh();
    await this.scheduler.tick(Date.now(), true);
    await this.seal();
    if (this.reporter) await this.reporter.flush(deliverMs);
    const left = await this.spool.stats();
    await this.spool.close();
    this.log.info("agent_once_done", { spooledBatches: left.batches, spooledRecords: left.records });
  }
}
