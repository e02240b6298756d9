import type { Region } from "../core/config/regions.ts";
import type { Config } from "../core/config/schema.ts";
import { monitorIndex, proberName, proberShardOf } from "../core/topology.ts";
import type { Env } from "./env.ts";
import type { ConfirmRequest } from "./state/confirmations.ts";

/** Other vantages asked at most, so a fleet-wide outage can't fan out without bound. */
const MAX_CONFIRMERS = 2;

/** Probes a monitor now from the prober `name` (the caller may be that prober itself). */
export type ProbeNow = (name: string, region: Region, monitorIds: string[]) => Promise<unknown>;

/**
 * Carries out the state object's confirmation requests: probe the monitor again now from up to two
 * other regions (confirmation from elsewhere, which the quorum needs) and once more from the same
 * one (so its failure threshold is met in seconds, not at the next interval). An outage is then
 * known within one interval plus a few seconds. Called by whoever delivered the failing result.
 * One call per prober, whatever the number of monitors: when many fail at once (a network's
 * outage, or a checker past its capacity timing out) a call per monitor was a forced tick each,
 * 819 in 5 s at 12,500 monitors, adding load exactly when there was none to spare.
 */
export function requestConfirmations(
  config: Config,
  requests: readonly ConfirmRequest[],
  probeNow: ProbeNow,
): Promise<unknown>[] {
  const byId = monitorIndex(config);
  const byProber = new Map<string, { region: Region; ids: Set<string> }>();
  for (const { monitorId, from } of requests) {
    const monitor = byId.get(monitorId);
    if (!monitor) continue;
    const others = monitor.regions.filter((r) => r !== from).slice(0, MAX_CONFIRMERS);
    const same = monitor.regions.filter((r) => r === from);
    for (const region of [...others, ...same]) {
      const name = proberName(region, proberShardOf(config, monitor, region));
      const group = byProber.get(name) ?? { region, ids: new Set<string>() };
      group.ids.add(monitor.id);
      byProber.set(name, group);
    }
  }
  return [...byProber].map(([name, { region, ids }]) => probeNow(name, region, [...ids]));
}

/** Asks a prober object, by name, to probe the given monitors now. */
export function proberProbeNow(env: Env): ProbeNow {
  return (name, region, only) =>
    env.PROBER.getByName(name, { locationHint: region }).tick({ force: true, only });
}
