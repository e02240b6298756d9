import { Hono } from "hono";
import { z } from "zod";
import { MonitorIdSchema } from "../../core/config/schema.ts";
import type { Env } from "../env.ts";
import { LimitParam, parseParams } from "./validate.ts";

export const incidentRoutes = new Hono<{ Bindings: Env }>();

const IncidentQuery = z.object({
  monitor: MonitorIdSchema.optional(),
  status: z.enum(["open", "closed", "all"]).default("all"),
  limit: LimitParam(500, 100),
});

incidentRoutes.get("/incidents", async (c) => {
  const q = parseParams(IncidentQuery, c.req.query());
  const board = c.env.BOARD.getByName("global");
  const incidents = await board.incidents({ monitorId: q.monitor, status: q.status, limit: q.limit });
  const notes = await board.incidentNotes(incidents.map((i) => i.id));
  return c.json({
    incidents: incidents.map((i) => ({
      id: i.id,
      monitorId: i.monitorId,
      state: i.state,
      openedAt: new Date(i.openedAt).toISOString(),
      closedAt: i.closedAt === undefined ? null : new Date(i.closedAt).toISOString(),
      durationSec: i.closedAt === undefined ? null : Math.round((i.closedAt - i.openedAt) / 1000),
      reasons: i.reasons,
      notes: (notes[i.id] ?? []).map((n) => ({ at: new Date(n.at).toISOString(), text: n.text })),
    })),
  });
});
