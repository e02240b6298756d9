import { Hono } from "hono";
import { findMonitor, stateShardOf } from "../../core/topology.ts";
import { plannedMaintenance } from "../api/maintenance.ts";
import { presentHealth, presentMonitor } from "../api/present.ts";
import { publicCache, publicNow } from "../api/public-cache.ts";
import { readSnapshot } from "../api/snapshot-source.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import type { LatencyPoint } from "./latency-chart.ts";
import { type PageIncident, renderStatusPage } from "./render.ts";

const DAY = 86_400_000;
/** Points per monitor for the 24 h chart; the state object keeps more. */
const LATENCY_POINTS = 1_500;

export const statusPageRoutes = new Hono<{ Bindings: Env }>();

statusPageRoutes.get("/", publicCache, async (c) => {
  const config = loadConfig(c.env);
  const snapshot = await readSnapshot(c.env);
  const now = publicNow(snapshot.generatedAt);
  const views = new Map(snapshot.monitors.map((v) => [v.id, v]));
  const board = c.env.BOARD.getByName("global");

  const latency = await Promise.all(
    config.monitors.map(async (m): Promise<LatencyPoint[]> => {
      try {
        const stub = c.env.STATE.getByName(stateShardOf(m));
        const points = await stub.history({
          monitorId: m.id,
          from: now - DAY,
          to: now,
          limit: LATENCY_POINTS,
        });
        return points.map((p) => ({ at: p.at, vantage: p.vantage, latencyMs: p.latencyMs, state: p.state }));
      } catch {
        return [];
      }
    }),
  );
  const raw = await board.incidents({ status: "all", limit: 50 });
  const known = raw.filter((i) => findMonitor(config, i.monitorId));
  const notes = await board.incidentNotes(known.map((i) => i.id));
  const names = new Map(config.monitors.map((m) => [m.id, m.name]));
  const incidents: PageIncident[] = known.map((i) => ({
    id: i.id,
    monitorId: i.monitorId,
    monitorName: names.get(i.monitorId) ?? i.monitorId,
    state: i.state,
    openedAt: new Date(i.openedAt).toISOString(),
    closedAt: i.closedAt === undefined ? null : new Date(i.closedAt).toISOString(),
    reasons: i.reasons,
    notes: (notes[i.id] ?? []).map((n) => ({ at: new Date(n.at).toISOString(), text: n.text })),
  }));

  const html = renderStatusPage({
    now,
    generatedAt: new Date(snapshot.generatedAt).toISOString(),
    monitoring: presentHealth(snapshot.monitoring),
    maintenance: plannedMaintenance(config, snapshot.maintenance ?? [], now, now + 7 * DAY),
    monitors: config.monitors.map((m, i) => ({
      monitor: presentMonitor(m, views.get(m.id), snapshot.timelines[m.id], now),
      operator: m.tags.operator ?? null,
      timeline: snapshot.timelines[m.id],
      latency: latency[i] ?? [],
    })),
    incidents,
    names,
  });
  return c.html(html, 200, {
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
  });
});
