import { WorkerEntrypoint } from "cloudflare:workers";
import type { Region } from "../../core/config/regions.ts";
import type { Config } from "../../core/config/schema.ts";
import { runLimited } from "../../core/limiter.ts";
import type { ProbeRecord } from "../../core/records.ts";
import type { ProbeResult } from "../../core/result.ts";
import { monitorIndex, stateShardOf } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import { proberProbeNow, requestConfirmations } from "../confirm.ts";
import type { Env } from "../env.ts";
import { probeOne } from "./probe-one.ts";
import { type ProbeJob, type ProbeOrder, runJob } from "./run-job.ts";

const internalFailure = (e: unknown): ProbeResult => ({
  ok: false,
  latencyMs: 0,
  error: { kind: "internal", message: `probe failed: ${String(e)}` },
});

/** Resolves when `at` comes: a window's probes are handed over together and each starts at its slot. */
function startTime(at: number): Promise<void> {
  const ms = at - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

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
      deliver: (records) => deliver(this.env, config, job.region, records),
    });
  }

  /** A group of a job's probes, in an invocation (and with connections) of its own. */
  async probeSome(region: Region, orders: ProbeOrder[]): Promise<ProbeRecord[]> {
    const config = loadConfig(this.env);
    const byId = monitorIndex(config);
    const records = await runLimited(orders, config.scheduler.maxInFlight, async (order) => {
      const monitor = byId.get(order.monitorId);
      if (!monitor) return undefined; // removed by a config change since the hand-off
      await startTime(order.scheduledAt);
      const checkedAt = Date.now();
      const result = await probeOne(monitor, region, this.env).catch(internalFailure);
      const record: ProbeRecord = {
        monitorId: order.monitorId,
        vantage: region,
        scheduledAt: order.scheduledAt,
        checkedAt,
        waitedMs: Math.max(0, checkedAt - Math.max(order.handedAt, order.scheduledAt)),
        result,
        ...(order.forced ? { forced: true } : {}),
      };
      return record;
    });
    return records.filter((r): r is ProbeRecord => r !== undefined);
  }
}

/** One batch per state object; first failures they want confirmed are re-probed here and elsewhere. */
async function deliver(env: Env, config: Config, region: Region, records: ProbeRecord[]): Promise<void> {
  if (records.length === 0) return;
  const byId = monitorIndex(config);
  const byShard = new Map<string, ProbeRecord[]>();
  for (const r of records) {
    const monitor = byId.get(r.monitorId);
    if (!monitor) continue;
    const shard = stateShardOf(monitor);
    const batch = byShard.get(shard);
    if (batch) batch.push(r);
    else byShard.set(shard, [r]);
  }
  const answers = await Promise.all(
    [...byShard].map(([name, batch]) =>
      env.STATE.getByName(name).ingest(name, { vantage: region, records: batch }),
    ),
  );
  const confirmations = requestConfirmations(
    config,
    answers.flatMap((a) => a.confirm),
    proberProbeNow(env),
  );
  await Promise.all(confirmations.map((c) => c.catch(() => {})));
}
