import { agentSilentAfterMs, proberSilentAfterMs } from "../core/checker-health.ts";
import type { Config } from "../core/config/schema.ts";
import type { StartWindow } from "../core/start-window.ts";
import { behindProblem, startsProblem } from "../core/start-window.ts";
import { monitorsForProber, probers, stateShards } from "../core/topology.ts";
import { loadConfig } from "./config.ts";
import type { Env } from "./env.ts";

export interface WatchdogReport {
  at: number;
  probers: { name: string; rearmed: boolean; lastTickAt?: number; lastMinute?: StartWindow }[];
  stateShards: { name: string; rearmed: boolean; lastMinute?: StartWindow }[];
  silentProbers: string[];
}

/**
 * The cron trigger's whole job: make sure every prober the config calls for has a live alarm
 * (cron has been seen to stop for hours elsewhere, so it must never be the prober itself).
 */
export async function runWatchdog(env: Env): Promise<WatchdogReport> {
  const config = loadConfig(env);
  const at = Date.now();
  const proberResults = await Promise.all(
    probers(config).map(async (p) => {
      const stub = env.PROBER.getByName(p.name, { locationHint: p.region });
      const r = await stub.ensureArmed(p.region, p.shard);
      return { name: p.name, rearmed: r.rearmed, lastTickAt: r.lastTickAt, lastMinute: r.lastMinute };
    }),
  );
  const stateResults = await Promise.all(
    stateShards(config).map(async (name) => ({ name, ...(await env.STATE.getByName(name).ensureArmed()) })),
  );
  const silentProbers = probers(config).flatMap((p, i) => {
    const last = proberResults[i]?.lastTickAt;
    const minInterval = Math.min(...monitorsForProber(config, p.region, p.shard).map((m) => m.intervalSec));
    if (last === undefined || at - last <= proberSilentAfterMs(minInterval)) return [];
    return [`prober ${p.region}/${p.shard} has not probed for ${Math.round((at - last) / 60_000)} min`];
  });
  const behind = probers(config).flatMap((p, i) => {
    const problem = behindProblem(`${p.region}/${p.shard}`, proberResults[i]?.lastMinute);
    return problem ? [problem] : [];
  });
  const starts = stateResults.flatMap((s) => {
    const problem = startsProblem(s.name, s.lastMinute);
    return problem ? [problem] : [];
  });
  const silentAgents = await silentAgentsAt(env, config, at);
  await env.BOARD.getByName("global").watchdogReport({
    at,
    silent: [...silentProbers, ...behind, ...starts, ...silentAgents],
  });
  return { at, probers: proberResults, stateShards: stateResults, silentProbers };
}

/** Agents that reported before and then missed three heartbeats (a never-seen agent is new, not silent). */
async function silentAgentsAt(env: Env, config: Config, at: number): Promise<string[]> {
  const seen = await Promise.all(
    config.agents.map(async (agent) => ({
      agent,
      seen: await env.AGENTS.getByName(`agent:${agent.id}`).status(),
    })),
  );
  return seen.flatMap(({ agent, seen: s }) => {
    if (s.lastSeenAt === undefined || at - s.lastSeenAt <= agentSilentAfterMs(agent.heartbeatSec)) return [];
    return [`agent ${agent.id} has not reported for ${Math.round((at - s.lastSeenAt) / 60_000)} min`];
  });
}
