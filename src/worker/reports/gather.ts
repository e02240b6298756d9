import type { Config, Monitor } from "../../core/config/schema.ts";
import { validatorSubject } from "../../core/kinds/index.ts";
import { maintenanceIntervals, windowsBetween } from "../../core/maintenance/windows.ts";
import { emptySketch } from "../../core/sketch.ts";
import type { LatencyStats, MonitorSlaInput } from "../../core/sla/compute.ts";
import { OVERALL } from "../../core/sla/rollup.ts";
import { stateShardOf } from "../../core/topology.ts";
import type { Env } from "../env.ts";

/**
 * Everything the SLA math needs about these monitors over [from, to): transitions, incidents and
 * admin windows from the board, latency sketches from the state objects' rollups, maintenance
 * from config and admin windows. Used by the report endpoint and the monthly report.
 */
export async function gatherSlaInputs(
  env: Env,
  config: Config,
  monitors: Monitor[],
  from: number,
  to: number,
) {
  const ids = monitors.map((m) => m.id);
  const board = env.BOARD.getByName("global");
  const data = await board.slaData({ monitorIds: ids, from, to });
  const shards = new Map<string, string[]>();
  for (const m of monitors) shards.set(stateShardOf(m), [...(shards.get(stateShardOf(m)) ?? []), m.id]);
  const reads = await Promise.all(
    [...shards].map(([shard, monitorIds]) => env.STATE.getByName(shard).rollups({ monitorIds, from, to })),
  );
  const cells = Object.assign({}, ...reads.map((r) => r.cells)) as (typeof reads)[number]["cells"];
  const windows = [...config.maintenance, ...data.maintenance];
  return monitors.map((m): MonitorSlaInput => {
    const ref = { id: m.id, tags: m.tags as Record<string, string> };
    const subject = validatorSubject(m.check);
    const latencyRegions: Record<string, LatencyStats> = {};
    let overall: LatencyStats | undefined;
    for (const [key, cell] of Object.entries(cells)) {
      const cut = key.lastIndexOf("|");
      if (key.slice(0, cut) !== m.id) continue;
      const region = key.slice(cut + 1);
      const stats = { probes: cell.n, sketch: cell.l ?? emptySketch() };
      if (region === OVERALL) overall = stats;
      else latencyRegions[region] = stats;
    }
    return {
      id: m.id,
      name: m.name,
      slaTarget: m.slaTarget,
      overall: data.overall[m.id] ?? [],
      regions: data.regions[m.id] ?? {},
      maintenance: maintenanceIntervals(windows, ref, from, to),
      windows: windowsBetween(windows, ref, from, to),
      incidents: data.incidents.filter((i) => i.monitorId === m.id),
      latency: { overall, regions: latencyRegions },
      ...(subject ? { validator: subject } : {}),
      ...(m.tags.validatorKey ? { servesKey: m.tags.validatorKey } : {}),
    };
  });
}
