import { Hono } from "hono";
import { ConfigError } from "../../core/config/load.ts";
import type { Env } from "../env.ts";
import { statusPageRoutes } from "../page/routes.ts";
import { agentRoutes } from "./agent.ts";
import { alertRoutes } from "./alerts.ts";
import { badgeRoutes } from "./badges.ts";
import { PUBLIC_READ_PATHS, publicCors } from "./cors.ts";
import { docsRoutes } from "./docs.ts";
import { heavyReadLimit } from "./heavy-reads.ts";
import { incidentNoteRoutes } from "./incident-notes.ts";
import { incidentRoutes } from "./incidents.ts";
import { maintenanceRoutes } from "./maintenance.ts";
import { metricsRoutes } from "./metrics.ts";
import { monitorRoutes } from "./monitors.ts";
import { openApiRoutes } from "./openapi.ts";
import { publicCache } from "./public-cache.ts";
import { versionedCache } from "./public-view.ts";
import { pushRoutes } from "./push.ts";

/** Public reads of stored history: limited per client (heavy-reads.ts). */
const HEAVY_READ_PATHS = ["/api/v1/monitors/:id/history", "/api/v1/incidents", "/api/v1/reports/*"] as const;

const VERSIONED_READ_PATHS = [
  "/",
  "/monitors/:id",
  "/feed.atom",
  "/api/v1/status",
  "/api/v1/monitors/:id",
  "/api/v1/badges/*",
  "/metrics",
] as const;

import { reportRoutes } from "./reports.ts";
import { silenceRoutes } from "./silences.ts";
import { statusRoutes } from "./status.ts";
import { usageRoutes } from "./usage.ts";
import { BadRequest } from "./validate.ts";

export function createApp() {
  const app = new Hono<{ Bindings: Env }>();
  // Public reads: any origin may read them (GET/HEAD/OPTIONS), with ETag/304 and Cache-Control.
  // Those built from the published snapshot answer a conditional request for the current
  // version with 304 before reading anything (public-view.ts).
  for (const path of VERSIONED_READ_PATHS) app.use(path, versionedCache);
  for (const path of HEAVY_READ_PATHS) app.use(path, heavyReadLimit);
  for (const path of PUBLIC_READ_PATHS) app.use(path, publicCors, publicCache);
  app.use("/", publicCache);
  app.use("/monitors/:id", publicCache);
  app.use("/feed.atom", publicCache);
  app.route("/api/v1", statusRoutes);
  app.route("/api/v1", monitorRoutes);
  app.route("/api/v1", incidentRoutes);
  app.route("/api/v1", usageRoutes);
  app.route("/api/v1", agentRoutes);
  app.route("/api/v1", alertRoutes);
  app.route("/api/v1", maintenanceRoutes);
  app.route("/api/v1", reportRoutes);
  app.route("/api/v1", badgeRoutes);
  app.route("/api/v1", silenceRoutes);
  app.route("/api/v1", incidentNoteRoutes);
  app.route("/api/v1", pushRoutes);
  app.route("/", metricsRoutes);
  app.route("/", openApiRoutes);
  app.route("/", docsRoutes);
  app.route("/", statusPageRoutes);
  app.notFound((c) =>
    c.json({ error: "not_found", message: `no route for ${c.req.method} ${c.req.path}` }, 404),
  );
  app.onError((err, c) => {
    if (err instanceof BadRequest) return c.json({ error: "invalid_request", issues: err.issues }, 400);
    if (err instanceof ConfigError) {
      return c.json(
        { error: "config_invalid", message: "the deployed config is invalid", issues: err.issues },
        503,
      );
    }
    console.error(JSON.stringify({ event: "api_error", path: c.req.path, error: String(err) }));
    return c.json({ error: "internal", message: "internal error" }, 500);
  });
  return app;
}
