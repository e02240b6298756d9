import { Hono } from "hono";
import { z } from "zod";
import { MonitorIdSchema } from "../../core/config/schema.ts";
import { findMonitor, stateShardOf } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { deferOf, publicBody } from "./public-view.ts";
import { LimitParam, parseParams, TimeParam } from "./validate.ts";

export const monitorRoutes = new Hono<{ Bindings: Env }>();

const IdParams = z.object({ id: MonitorIdSchema });
const DAY = 86_400_000;

const HistoryQuery = z
  .object({ from: TimeParam.optional(), to: TimeParam.optional(), limit: LimitParam(10_000, 1_000) })
  .transform((q) => {
    const to = q.to ?? Date.now();
    return { ...q, to, from: q.from ?? to - 3_600_000 };
  })
  .superRefine((q, ctx) => {
    if (q.from >= q.to) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
    if (q.to - q.from > 7 * DAY)
      ctx.addIssue({ code: "custom", path: ["from"], message: "range is limited to 7 days" });
  });

monitorRoutes.get("/monitors/:id", async (c) => {
  const { id } = parseParams(IdParams, c.req.param());
  const monitor = findMonitor(loadConfig(c.env), id);
  if (!monitor) return c.json({ error: "not_found", message: `no monitor '${id}'` }, 404);
  const out = await publicBody(
    c.env,
    `monitor:${id}`,
    (view) =>
      JSON.stringify({
        ...view.byId.get(id),
        intervalSec: monitor.intervalSec,
        regions: monitor.regions,
        slaTarget: monitor.slaTarget,
        tags: monitor.tags,
      }),
    deferOf(c),
  );
  return c.body(out.body, 200, { "content-type": "application/json", ...out.headers });
});

monitorRoutes.get("/monitors/:id/history", async (c) => {
  const { id } = parseParams(IdParams, c.req.param());
  const q = parseParams(HistoryQuery, c.req.query());
  const monitor = findMonitor(loadConfig(c.env), id);
  if (!monitor) return c.json({ error: "not_found", message: `no monitor '${id}'` }, 404);
  const stub = c.env.STATE.getByName(stateShardOf(monitor));
  const points = await stub.history({ monitorId: id, from: q.from, to: q.to, limit: q.limit });
  return c.json({
    monitorId: id,
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    results: points.map((p) => ({
      ...p,
      at: new Date(p.at).toISOString(),
      receivedAt: new Date(p.receivedAt).toISOString(),
    })),
  });
});
