import { Hono } from "hono";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { plannedMaintenance } from "./maintenance.ts";
import { presentHealth } from "./present.ts";
import { publicView, rendered, versionHeaders } from "./public-view.ts";

export const statusRoutes = new Hono<{ Bindings: Env }>();

statusRoutes.get("/status", async (c) => {
  const view = await publicView(c.env);
  const body = rendered(view, "status", () => {
    const { snapshot, now } = view;
    return JSON.stringify({
      generatedAt: new Date(snapshot.generatedAt).toISOString(),
      monitoring: presentHealth(snapshot.monitoring),
      maintenance: plannedMaintenance(
        loadConfig(c.env),
        snapshot.maintenance ?? [],
        now,
        now + 7 * 86_400_000,
      ),
      monitors: view.monitors,
    });
  });
  return c.body(body, 200, { "content-type": "application/json", ...versionHeaders(view) });
});
