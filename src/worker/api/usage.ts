import { Hono } from "hono";
import { probers, stateShards } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";

export const usageRoutes = new Hono<{ Bindings: Env }>();

/**
 * What the deployment has done since its objects last started: probes, rows written, KV writes.
 * The counters live in the objects' memory, so they describe the current run, which is what a
 * local measurement or a quick look at a live deployment needs.
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
  return c.json({
    monitors: config.monitors.length,
    probes,
    onTimeRatio: probes ? onTime / probes : null,
    ticks: proberStats.reduce((n, p) => n + p.ticks, 0),
    batches: stateStats.reduce((n, s) => n + s.batches, 0),
    rowsWritten: { ...rows, total: totalRows },
    rowsWrittenPerProbe: probes ? totalRows / probes : null,
    kvWrites: boardStats.kvWrites,
    boardReports: boardStats.reports,
  });
});
