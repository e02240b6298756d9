import type { AgentConfig } from "../config/agents.ts";
import type { Config, Monitor } from "../config/schema.ts";
import type { ProbeRecord } from "../records.ts";
import { redactUrls } from "../redact.ts";
import { hostsOf } from "../target-hosts.ts";
import { stateShardOf } from "../topology.ts";
import type { AgentBatch, AgentError } from "./batch.ts";
import { MAX_CLOCK_SKEW_MS } from "./protocol.ts";
import { agentVantage } from "./vantage.ts";

/** The monitors one agent probes. */
export function assignedMonitors(config: Config, agentId: string): Monitor[] {
  return config.monitors.filter((m) => m.agents.includes(agentId));
}

export interface ShardPart {
  /** State object name (state:<chain>:<network>). */
  shard: string;
  records: ProbeRecord[];
}

export type BatchPlan = { ok: true; parts: ShardPart[] } | { ok: false; status: 403 | 422; body: AgentError };

const list = (ids: string[]) => {
  const shown = ids.slice(0, 10).join(", ");
  return ids.length > 10 ? `${shown} and ${ids.length - 10} more` : shown;
};

/** Clips and redacts a text an agent sent, as the Worker's own probe errors are (probes/classify.ts). */
function clean(text: string, hosts: readonly string[], max: number): string {
  const one = redactUrls(text, hosts).replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * An agent's record with every free text redacted by the Worker's rules, whatever the agent did:
 * URLs (credentials, query strings), IP addresses, host:port pairs, query strings, and the
 * monitor's own hosts. Texts that reach reasons, incidents, alerts and reports start here.
 */
export function redactRecord(record: ProbeRecord, monitor: Monitor): ProbeRecord {
  const hosts = hostsOf(monitor.check);
  const { result } = record;
  const error = result.error && { ...result.error, message: clean(result.error.message, hosts, 300) };
  const conditions = result.conditions?.map((c) => ({
    ...c,
    ...(c.actual === undefined ? {} : { actual: clean(c.actual, hosts, 200) }),
    ...(c.error === undefined ? {} : { error: clean(c.error, hosts, 300) }),
  }));
  return {
    ...record,
    result: { ...result, ...(error ? { error } : {}), ...(conditions ? { conditions } : {}) },
  };
}

/**
 * Checks a verified batch against the agent's scope and splits it by state object. Every record
 * must come from the agent's own vantage, for a monitor assigned to that agent, and be neither from
 * the future nor older than raw results are kept. One bad record refuses the whole batch, so that
 * nothing of it is stored.
 */
export function planBatch(config: Config, agent: AgentConfig, batch: AgentBatch, now: number): BatchPlan {
  const vantage = agentVantage(agent.id);
  const byId = new Map(config.monitors.map((m) => [m.id, m]));
  const outOfScope = new Set<string>();
  const wrongVantage = new Set<string>();
  const oldest = now - config.retention.rawDays * 86_400_000;
  let stale = 0;
  let future = 0;
  const parts = new Map<string, ProbeRecord[]>();
  for (const record of batch.records) {
    const monitor = byId.get(record.monitorId);
    if (!monitor?.agents.includes(agent.id)) {
      outOfScope.add(record.monitorId);
      continue;
    }
    if (record.vantage !== vantage) wrongVantage.add(record.vantage);
    if (record.checkedAt < oldest) stale++;
    if (record.checkedAt > now + MAX_CLOCK_SKEW_MS) future++;
    const shard = stateShardOf(monitor);
    const part = parts.get(shard) ?? [];
    part.push(redactRecord(record, monitor));
    parts.set(shard, part);
  }
  if (outOfScope.size > 0) {
    const ids = [...outOfScope];
    return {
      ok: false,
      status: 403,
      body: {
        error: "out_of_scope",
        message: `monitors not assigned to agent ${agent.id}: ${list(ids)}; nothing from this batch was stored`,
        monitors: ids.slice(0, 100),
        batchId: batch.batchId,
      },
    };
  }
  if (wrongVantage.size > 0) {
    return {
      ok: false,
      status: 403,
      body: {
        error: "out_of_scope",
        message: `agent ${agent.id} may only report as vantage ${vantage}, not ${list([...wrongVantage])}`,
        batchId: batch.batchId,
      },
    };
  }
  if (stale > 0 || future > 0) {
    const what = [
      stale ? `${stale} older than ${config.retention.rawDays} days (retention)` : "",
      future ? `${future} from the future` : "",
    ]
      .filter(Boolean)
      .join(" and ");
    return {
      ok: false,
      status: 422,
      body: {
        error: "stale_records",
        message: `records ${what}; nothing from this batch was stored`,
        batchId: batch.batchId,
      },
    };
  }
  return { ok: true, parts: [...parts].map(([shard, records]) => ({ shard, records })) };
}
