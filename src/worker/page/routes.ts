import { Hono } from "hono";
import type { StatusPage } from "../../core/config/page.ts";
import type { Config } from "../../core/config/schema.ts";
import { findMonitor } from "../../core/topology.ts";
import { plannedMaintenance } from "../api/maintenance.ts";
import { presentHealth } from "../api/present.ts";
import { deferOf, pageExtras, publicBody } from "../api/public-view.ts";
import type { PageExtras } from "../board/snapshot.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import type { LatencySeries } from "../state/latency-series.ts";
import { renderFeed } from "./feed.tsx";
import type { LatencyPoint } from "./latency-chart.tsx";
import { type PageIncident, renderMonitorPage, renderStatusPage } from "./render.tsx";

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
const HTML = { "content-type": "text/html; charset=UTF-8" };

/** No script, no outside resource, except the operator's logo from its own origin. */
function pageHeaders(branding: StatusPage): Record<string, string> {
  const logo = branding.logoUrl ? ` ${new URL(branding.logoUrl).origin}` : "";
  return {
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:${logo}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    "x-content-type-options": "nosniff",
  };
}

/** The incidents of configured monitors, as the page shows them. */
function pageIncidents(config: Config, extras: PageExtras): PageIncident[] {
  const names = new Map(config.monitors.map((m) => [m.id, m.name]));
  return extras.incidents
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
}

statusPageRoutes.get("/", async (c) => {
  const out = await publicBody(
    c.env,
    "page",
    async (view) => {
      const extras = await pageExtras(c.env, view);
      const config = loadConfig(c.env);
      const { snapshot, now } = view;
      const names = new Map(config.monitors.map((m) => [m.id, m.name]));
      const incidents = pageIncidents(config, extras);
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
        branding: config.page,
      });
    },
    deferOf(c),
  );
  return c.body(out.body, 200, { ...HTML, ...out.headers, ...pageHeaders(loadConfig(c.env).page) });
});

/** One monitor's page: what the overview links to once the fleet is too large to draw in full. */
statusPageRoutes.get("/monitors/:id", async (c) => {
  const config = loadConfig(c.env);
  const id = c.req.param("id");
  const index = config.monitors.findIndex((m) => m.id === id);
  const monitor = config.monitors[index];
  if (!monitor)
    return c.html(
      "<!doctype html><title>Not found</title><p>No such monitor.</p>",
      404,
      pageHeaders(config.page),
    );
  const out = await publicBody(
    c.env,
    `page:${id}`,
    async (view) => {
      const extras = await pageExtras(c.env, view);
      const presented = view.monitors[index];
      if (!presented) return "";
      return renderMonitorPage(
        {
          monitor: presented,
          operator: monitor.tags.operator ?? null,
          timeline: view.snapshot.timelines[id],
          latency: pointsOf(extras.latency[id]),
        },
        pageIncidents(config, extras).filter((i) => i.monitorId === id),
        view.now,
        iso(view.snapshot.generatedAt),
        config.page,
      );
    },
    deferOf(c),
  );
  return c.body(out.body, 200, { ...HTML, ...out.headers, ...pageHeaders(config.page) });
});

/** Incidents and maintenance (30 days back, 30 ahead) as Atom, for readers to subscribe without an account. */
statusPageRoutes.get("/feed.atom", async (c) => {
  const origin = new URL(c.req.url).origin;
  const out = await publicBody(
    c.env,
    // Entry links are absolute: one body per origin the page is served from.
    `feed:${origin}`,
    async (view) => {
      const extras = await pageExtras(c.env, view);
      const config = loadConfig(c.env);
      const { snapshot, now } = view;
      return renderFeed({
        title: config.page.title,
        origin,
        generatedAt: iso(snapshot.generatedAt),
        incidents: pageIncidents(config, extras),
        maintenance: plannedMaintenance(config, snapshot.maintenance ?? [], now - 30 * DAY, now + 30 * DAY),
        names: new Map(config.monitors.map((m) => [m.id, m.name])),
      });
    },
    deferOf(c),
  );
  return c.body(out.body, 200, {
    "content-type": "application/atom+xml; charset=UTF-8",
    "x-content-type-options": "nosniff",
    ...out.headers,
  });
});
