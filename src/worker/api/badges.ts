import { type Context, Hono } from "hono";
import type { z } from "zod";
import type { PublicMonitor } from "../../core/public.ts";
import { findMonitor } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { esc } from "../page/html.ts";
import { BadgeIdParams, type ShieldsEndpointSchema, ShieldsQuery, UptimeBadgeQuery } from "./api-schemas.ts";
import { deferOf, publicBody } from "./public-view.ts";
import { parseParams } from "./validate.ts";

export const badgeRoutes = new Hono<{ Bindings: Env }>();

const STATE_COLOR: Record<PublicMonitor["state"], string> = {
  up: "#3fb950",
  degraded: "#d29922",
  down: "#e5534b",
  unknown: "#8b949e",
  maintenance: "#4c8bf5",
};

export function uptimeColor(v: number | null): string {
  if (v === null) return "#8b949e";
  if (v >= 0.999) return "#3fb950";
  if (v >= 0.99) return "#a3c51c";
  if (v >= 0.95) return "#d29922";
  return "#e5534b";
}

export const uptimeText = (v: number | null) =>
  v === null ? "no data" : `${(Math.floor(v * 10_000) / 100).toFixed(2)}%`;

/** Width estimate for Verdana 11px, as shields-style badges do without measuring fonts. */
const textWidth = (s: string) => Math.round([...s].length * 6.6 + 10);

/** A flat two-part badge; every text is escaped; no external fonts or links. */
export function badgeSvg(label: string, message: string, color: string): string {
  const lw = textWidth(label);
  const mw = textWidth(message);
  const w = lw + mw;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${esc(`${label}: ${message}`)}"><title>${esc(`${label}: ${message}`)}</title><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${esc(color)}"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="14">${esc(label)}</text><text x="${lw + mw / 2}" y="14">${esc(message)}</text></g></svg>`;
}

const SVG = { "content-type": "image/svg+xml; charset=utf-8" };
const JSON_TYPE = { "content-type": "application/json" };

/** A monitor's badge body for the published version (rendered once; see publicBody). */
function badge(c: Context<{ Bindings: Env }>, key: string, id: string, draw: (m: PublicMonitor) => string) {
  return publicBody(
    c.env,
    `badge:${id}:${key}`,
    (view) => {
      const m = view.byId.get(id);
      return m ? draw(m) : "";
    },
    deferOf(c),
  );
}

const known = (env: Env, id: string) => findMonitor(loadConfig(env), id) !== undefined;
const notFound = (id: string) => ({ error: "not_found", message: `no monitor '${id}'` });

badgeRoutes.get("/badges/:id/status.svg", async (c) => {
  const { id } = parseParams(BadgeIdParams, c.req.param());
  if (!known(c.env, id)) return c.json(notFound(id), 404);
  const out = await badge(c, "status", id, (m) => badgeSvg(m.name, m.state, STATE_COLOR[m.state]));
  return c.body(out.body, 200, { ...SVG, ...out.headers });
});

badgeRoutes.get("/badges/:id/uptime.svg", async (c) => {
  const { id } = parseParams(BadgeIdParams, c.req.param());
  const { window } = parseParams(UptimeBadgeQuery, c.req.query());
  if (!known(c.env, id)) return c.json(notFound(id), 404);
  const out = await badge(c, `uptime:${window}`, id, (m) => {
    const v = m.uptime[window];
    return badgeSvg(`uptime ${window}`, uptimeText(v), uptimeColor(v));
  });
  return c.body(out.body, 200, { ...SVG, ...out.headers });
});

badgeRoutes.get("/badges/:id/shields.json", async (c) => {
  const { id } = parseParams(BadgeIdParams, c.req.param());
  const q = parseParams(ShieldsQuery, c.req.query());
  if (!known(c.env, id)) return c.json(notFound(id), 404);
  const key = q.type === "status" ? "shields:status" : `shields:uptime:${q.window}`;
  const out = await badge(c, key, id, (m) => {
    const body: z.infer<typeof ShieldsEndpointSchema> =
      q.type === "status"
        ? { schemaVersion: 1, label: m.name, message: m.state, color: STATE_COLOR[m.state], cacheSeconds: 60 }
        : {
            schemaVersion: 1,
            label: `uptime ${q.window}`,
            message: uptimeText(m.uptime[q.window]),
            color: uptimeColor(m.uptime[q.window]),
            cacheSeconds: 300,
          };
    return JSON.stringify(body);
  });
  return c.body(out.body, 200, { ...JSON_TYPE, ...out.headers });
});
