import type { Region } from "../../core/config/regions.ts";
import type { Config, Monitor } from "../../core/config/schema.ts";
import { proberName, proberShardOf } from "../../core/topology.ts";
import type { Env } from "../env.ts";

/** Other vantages asked at most, so a fleet-wide outage can't fan out without bound. */
const MAX_CONFIRMERS = 2;

/**
 * After a first failure from one vantage: probe the monitor again now from up to two other
 * regions (confirmation from elsewhere, which the quorum needs) and once more from the same one
 * (so its failure threshold is met in seconds, not at the next interval). An outage is then
 * known within one interval plus a few seconds.
 */
export function requestConfirmation(
  env: Env,
  config: Config,
  monitor: Monitor,
  from: string,
): Promise<unknown>[] {
  const others = monitor.regions.filter((r) => r !== from).slice(0, MAX_CONFIRMERS);
  const same = monitor.regions.find((r) => r === from);
  return [...others, ...(same ? [same] : [])].map((region: Region) => {
    const name = proberName(region, proberShardOf(config, monitor, region));
    return env.PROBER.get(env.PROBER.idFromName(name), { locationHint: region }).tick({
      force: true,
      only: [monitor.id],
    });
  });
}
