import { WorkerEntrypoint } from "cloudflare:workers";
import type { Region } from "../../core/config/regions.ts";
import type { Config } from "../../core/config/schema.ts";
import { runLimited } from "../../core/limiter.ts";
import type { ProbeBatch, ProbeRecord, ShedProbe } from "../../core/records.ts";
import type { ProbeResult } from "../../core/result.ts";
import { engineWaitMs, shouldShed } from "../../core/shed.ts";
import { monitorIndex, stateShardOf } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import { proberProbeNow, requestConfirmations } from "../confirm.ts";
import type { Env } from "../env.ts";
import { probeOne } from "./probe-one.ts";
import { type GroupOutcome, type ProbeJob, type ProbeOrder, runJob } from "./run-job.ts";
import { startClock } from "./start-clock.ts";

const internalFailure = (e: unknown): ProbeResult => ({
  ok: false,
  latencyMs: 0,
  error: { kind: "internal", message: `probe failed: ${String(e)}` },
});

/**
 * Where probes wait for their targets: a plain Worker invocation, billed by CPU time, reached from
 * a prober object through a service binding to this same Worker. A service binding runs the callee
 * where the caller runs, so each region's probes still leave from that region's prober location.
 * The prober object hands over its due probes and is done in milliseconds; it is not held active
 * (billed by wall-clock time) while targets answer, time out or hang.
 */
export class ProbeRunner extends WorkerEntrypoint<Env> {
  /** Takes a scheduled hand-off and returns at once; the probes run on after the call returns. */
  async dispatch(job: ProbeJob): Promise<{ accepted: number }> {
    this.ctx.waitUntil(
      this.run(job).catch((e) =>
        console.error(JSON.stringify({ event: "probe_job_failed", region: job.region, error: String(e) })),
      ),
    );
    return { accepted: job.orders.length };
  }

  /** Runs a job to its end: the probes, their delivery to the state objects, their confirmations. */
  async run(job: ProbeJob): Promise<{ probed: number }> {
    const config = loadConfig(this.env);
    return runJob(job, {
      probeSome: (orders) => this.env.RUNNER.probeSome(job.region, orders),
      deliver: (outcome) => deliver(this.env, config, job.region, outcome),
    });
  }

  /** A group of a job's probes, in an invocation (and with connections) of its own. */
  async probeSome(region: Region, orders: ProbeOrder[]): Promise<GroupOutcome> {
    const config = loadConfig(this.env);
    const byId = monitorIndex(config);
    const shed: ShedProbe[] = [];
    const startTime = startClock();
    const records = await runLimited(orders, config.scheduler.maxInFlight, async (order) => {
      const monitor = byId.get(order.monitorId);
      if (!monitor) return undefined; // removed by a config change since the hand-off
      await startTime(order.scheduledAt);
      const checkedAt = Date.now();
      const waitedMs = engineWaitMs(order, checkedAt);
      if (shouldShed(order, checkedAt)) {
        shed.push({ monitorId: order.monitorId, scheduledAt: order.scheduledAt, waitedMs });
        return undefined;
      }
      const result = await probeOne(monitor, region, this.env).catch(internalFailure);
      const record: ProbeRecord = {
        monitorId: order.monitorId,
        vantage: region,
        scheduledAt: order.scheduledAt,
        checkedAt,
        waitedMs,
        result,
        ...(order.forced ? { forced: true } : {}),
      };
      return record;
    });
    return { records: records.filter((r): r is ProbeRecord => r !== undefined), shed };
  }
}

/**
 * One batch per state object, skipped probes riding with the results; first failures they want
 * confirmed are re-probed here and elsewhere.
 */
async function deliver(env: Env, config: Config, region: Region, outcome: GroupOutcome): Promise<void> {
  const byId = monitorIndex(config);
  const byShard = new Map<string, ProbeBatch>();
  const batchOf = (monitorId: string): ProbeBatch | undefined => {
    const monitor = byId.get(monitorId);
    if (!monitor) return undefined;
    const shard = stateShardOf(monitor);
    const batch = byShard.get(shard) ?? { vantage: region, records: [] };
    byShard.set(shard, batch);
    return batch;
  };
  for (const r of outcome.records) batchOf(r.monitorId)?.records.push(r);
  for (const s of outcome.shed) {
    const batch = batchOf(s.monitorId);
    if (!batch) continue;
    batch.shed ??= [];
    batch.shed.push(s);
  }
  if (byShard.size === 0) return;
  const answers = await Promise.all(
    [...byShard].map(([name, batch]) => env.STATE.getByName(name).ingest(name, batch)),
  );
  const confirmations = requestConfirmations(
    config,
    answers.flatMap((a) => a.confirm),
    proberProbeNow(env),
  );
  await Promise.all(confirmations.map((c) => c.catch(() => {})));
}
