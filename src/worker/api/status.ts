import { Hono } from "hono";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { plannedMaintenance } from "./maintenance.ts";
import { presentHealth } from "./present.ts";
import { deferOf, publicBody } from "./public-view.ts";

export const statusRoutes = new Hono<{ Bindings: Env }>();

statusRoutes.get("/status", async (c) => {
  const out = await publicBody(
    c.env,
    "status",
    (view) => {
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
    },
    deferOf(c),
  );
  return c.body(out.body, 200, { "content-type": "application/json", ...out.headers });
});
