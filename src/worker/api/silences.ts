import { Hono } from "hono";
import { SilenceSchema } from "../../core/silence/silence.ts";
import type { Env } from "../env.ts";
import { requireAdmin } from "./admin-auth.ts";
import { SilenceIdParams } from "./api-schemas.ts";
import { BadRequest, parseParams } from "./validate.ts";

export const silenceRoutes = new Hono<{ Bindings: Env }>();

const outbox = (env: Env) => env.ALERTS.getByName("outbox");

async function jsonBody(req: { json(): Promise<unknown> }, what: string): Promise<object> {
  try {
    const body = await req.json();
    if (body && typeof body === "object" && !Array.isArray(body)) return body;
  } catch {}
  throw new BadRequest([{ parameter: "body", message: `expected a JSON ${what}` }]);
}

/** Mutes alerts for the monitors (ids and/or tags) until `until`; checker alerts are never muted. */
silenceRoutes.put("/admin/silences/:id", requireAdmin, async (c) => {
  const body = await jsonBody(c.req, "silence");
  const silence = parseParams(SilenceSchema, { ...body, id: c.req.param("id") });
  if (Date.parse(silence.until) <= Date.now()) {
    throw new BadRequest([{ parameter: "until", message: "must be in the future" }]);
  }
  const all = await outbox(c.env).putSilence(silence);
  return c.json({ silence, silences: all.length }, 201);
});

silenceRoutes.delete("/admin/silences/:id", requireAdmin, async (c) => {
  const { id } = parseParams(SilenceIdParams, c.req.param());
  if (!(await outbox(c.env).deleteSilence(id)))
    return c.json({ error: "not_found", message: `no silence '${id}'` }, 404);
  return c.body(null, 204);
});

silenceRoutes.get("/admin/silences", requireAdmin, async (c) => {
  const now = Date.now();
  const list = (await outbox(c.env).silences()).filter((s) => Date.parse(s.until) > now);
  return c.json({ silences: list });
});
