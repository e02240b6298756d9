import { Hono } from "hono";
import type { Env } from "../env.ts";
import { requireAdmin } from "./admin-auth.ts";
import { IncidentIdParams, IncidentNoteBodySchema } from "./api-schemas.ts";
import { BadRequest, parseParams } from "./validate.ts";

export const incidentNoteRoutes = new Hono<{ Bindings: Env }>();

/** A manual note on an incident (an operator's explanation), shown in /incidents and on the page. */
incidentNoteRoutes.post("/admin/incidents/:id/notes", requireAdmin, async (c) => {
  const { id } = parseParams(IncidentIdParams, c.req.param());
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new BadRequest([{ parameter: "body", message: 'expected a JSON note {"text": …}' }]);
  }
  const { text } = parseParams(IncidentNoteBodySchema, body);
  const board = c.env.BOARD.getByName("global");
  const notes = await board.addIncidentNote(id, { at: Date.now(), text });
  if (!notes) return c.json({ error: "not_found", message: `no incident '${id}'` }, 404);
  return c.json(
    { incidentId: id, notes: notes.map((n) => ({ at: new Date(n.at).toISOString(), text: n.text })) },
    201,
  );
});
