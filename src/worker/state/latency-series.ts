import { quantile } from "../../core/sketch.ts";
import { HOUR, OVERALL } from "../../core/sla/rollup.ts";
import type { RollupStore } from "./rollup-store.ts";

/** Per vantage: the hour's start and its median latency (ms), for each hour with a successful probe. */
export type LatencySeries = Record<string, { at: number; ms: number }[]>;

/** Hours in the status page's latency chart. */
export const LATENCY_HOURS = 24;

/**
 * The last 24 hours of latency per monitor and vantage, one point per hour (the median of that
 * hour's probes, from the rollups' sketches): what the status page draws, small enough to travel
 * with a report to the board, so a page view never asks a state object for raw results.
 */
export function latencySeries(
  store: RollupStore,
  monitorIds: string[],
  now: number,
): Record<string, LatencySeries> {
  const out: Record<string, LatencySeries> = {};
  const current = Math.floor(now / HOUR) * HOUR;
  for (let h = current - (LATENCY_HOURS - 1) * HOUR; h <= current; h += HOUR) {
    const { cells } = store.read({ monitorIds, from: h, to: Math.min(h + HOUR, now) });
    for (const [key, cell] of Object.entries(cells)) {
      const cut = key.lastIndexOf("|");
      const [id, vantage] = [key.slice(0, cut), key.slice(cut + 1)];
      const p50 = quantile(cell.l, 0.5);
      if (vantage === OVERALL || p50 === undefined) continue;
      const series = out[id] ?? {};
      out[id] = series;
      series[vantage] = [...(series[vantage] ?? []), { at: h, ms: Math.round(p50) }];
    }
  }
  return out;
}
