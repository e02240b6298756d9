import { Hono } from "hono";
import { findMonitor } from "../../core/topology.ts";
import { plannedMaintenance } from "../api/maintenance.ts";
import { presentHealth } from "../api/present.ts";
import { pageExtras, publicView, rendered, versionHeaders } from "../api/public-view.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import type { LatencySeries } from "../state/latency-series.ts";
import type { LatencyPoint } from "./latency-chart.ts";
import { type PageIncident, renderStatusPage } from "./render.ts";

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

/** Hourly medians, drawn at the middle of their hour. */
const pointsOf = (series: LatencySeries | undefined): LatencyPoint[] =>
  Object.entries(series ?? {}).flatMap(([vantage, points]) =>
    points.map((p) => ({ at: p.at + 1_800_000, vantage, latencyMs: p.ms, state: "up" })),
  );

export const statusPageRoutes = new Hono<{ Bindings: Env }>();

/**
 * The status page, from the published snapshot and page extras only (no state object is asked),
 * rendered once per version per isolate.
 */
statusPageRoutes.get("/", async (c) => {
  const view = await publicView(c.env);
  const extras = await pageExtras(c.env, view);
  const html = rendered(view, "page", () => {
    const config = loadConfig(c.env);
    const { snapshot, now } = view;
    const names = new Map(config.monitors.map((m) => [m.id, m.name]));
    const incidents: PageIncident[] = extras.incidents
      .filter((i) => findMonitor(config, i.monitorId))
      .map((i) => ({
        id: i.id,
        monitorId: i.monitorId,
        monitorName: names.get(i.monitorId) ?? i.monitorId,
        state: i.state,
        openedAt: iso(i.openedAt),
        closedAt: i.closedAt === undefined ? null : iso(i.closedAt),
        reasons: i.reasons,
        notes: i.notes.map((n) => ({ at: iso(n.at), text: n.text })),
      }));
    return renderStatusPage({
      now,
      generatedAt: iso(snapshot.generatedAt),
      monitoring: presentHealth(snapshot.monitoring),
      maintenance: plannedMaintenance(config, snapshot.maintenance ?? [], now, now + 7 * DAY),
      // The view presents the config's monitors in config order.
      monitors: view.monitors.map((monitor, i) => ({
        monitor,
        operator: config.monitors[i]?.tags.operator ?? null,
        timeline: snapshot.timelines[monitor.id],
        latency: pointsOf(extras.latency[monitor.id]),
      })),
      incidents,
      names,
    });
  });
  return c.html(html, 200, {
    ...versionHeaders(view),
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
  });
});
