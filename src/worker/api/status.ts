import { Hono } from "hono";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { plannedMaintenance } from "./maintenance.ts";
import { presentHealth, presentMonitor } from "./present.ts";
import { publicNow } from "./public-cache.ts";
import { readSnapshot } from "./snapshot-source.ts";

export const statusRoutes = new Hono<{ Bindings: Env }>();

statusRoutes.get("/status", async (c) => {
  const config = loadConfig(c.env);
  const snapshot = await readSnapshot(c.env);
  const views = new Map(snapshot.monitors.map((v) => [v.id, v]));
  const now = publicNow(snapshot.generatedAt);
  return c.json({
    generatedAt: new Date(snapshot.generatedAt).toISOString(),
    monitoring: presentHealth(snapshot.monitoring),
    maintenance: plannedMaintenance(config, snapshot.maintenance ?? [], now, now + 7 * 86_400_000),
    monitors: config.monitors.map((m) => presentMonitor(m, views.get(m.id), snapshot.timelines[m.id], now)),
  });
});
