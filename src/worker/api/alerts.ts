import { Hono } from "hono";
import { z } from "zod";
import type { Env } from "../env.ts";
import { requireAdmin } from "./admin-auth.ts";
import { LimitParam, parseParams } from "./validate.ts";

export const alertRoutes = new Hono<{ Bindings: Env }>();

const AlertQuery = z.object({
  status: z.enum(["pending", "sent", "dead"]).optional(),
  limit: LimitParam(500, 100),
});

/** The outbox as an operator sees it: what went out, what is waiting, what was dead-lettered. */
alertRoutes.get("/alerts", requireAdmin, async (c) => {
  const q = parseParams(AlertQuery, c.req.query());
  const outbox = c.env.ALERTS.getByName("outbox");
  const rows = await outbox.list({ status: q.status, limit: q.limit });
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return c.json({
    deliveries: rows.map((r) => ({
      alertId: r.event.id,
      kind: r.event.kind,
      severity: r.event.severity,
      monitorId: r.event.monitor?.id ?? null,
      channel: r.channel,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.status === "pending" ? iso(r.nextAt) : null,
      lastError: r.lastError,
      createdAt: iso(r.createdAt),
      sentAt: iso(r.sentAt),
      title: r.event.title,
    })),
  });
});
