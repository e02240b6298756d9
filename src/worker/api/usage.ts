import { Hono } from "hono";
import { probers, stateShards } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";

export const usageRoutes = new Hono<{ Bindings: Env }>();

/**
 * What the deployment has done since its objects were created: probes, rows written, KV writes.
 * The objects keep these counters inside rows they write anyway, so eviction does not reset them
 * (the state objects' counts are exact up to their last checkpoint and then counted from replay).
 */
usageRoutes.get("/usage", async (c) => {
  const env = c.env;
  const config = loadConfig(env);
  const proberStats = await Promise.all(
    probers(config).map((p) =>
      env.PROBER.get(env.PROBER.idFromName(p.name), { locationHint: p.region }).stats(),
    ),
  );
  const stateStats = await Promise.all(
    stateShards(config).map((s) => env.STATE.get(env.STATE.idFromName(s)).stats()),
  );
  const boardStats = await env.BOARD.get(env.BOARD.idFromName("global")).stats();
  const probes = proberStats.reduce((n, p) => n + p.probes, 0);
  const onTime = proberStats.reduce((n, p) => n + p.onTime, 0);
  const rows = {
    probers: proberStats.reduce((n, p) => n + p.rowsWritten, 0),
    state: stateStats.reduce((n, s) => n + s.rowsWritten, 0),
    board: boardStats.rowsWritten,
  };
  const totalRows = rows.probers + rows.state + rows.board;
  const starts = proberStats.map((p) => p.since).filter((t): t is number => t !== undefined);
  const elapsedSec = starts.length ? (Date.now() - Math.min(...starts)) / 1000 : 0;
  return c.json({
    monitors: config.monitors.length,
    probes,
    elapsedSec: Math.round(elapsedSec),
    probesPerSecond: elapsedSec > 0 ? probes / elapsedSec : null,
    onTimeRatio: probes ? onTime / probes : null,
    ticks: proberStats.reduce((n, p) => n + p.ticks, 0),
    batches: stateStats.reduce((n, s) => n + s.batches, 0),
    rowsWritten: { ...rows, total: totalRows },
    rowsWrittenPerProbe: probes ? totalRows / probes : null,
    kvWrites: boardStats.kvWrites,
    boardReports: boardStats.reports,
  });
});
