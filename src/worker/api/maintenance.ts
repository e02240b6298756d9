import { Hono } from "hono";
import { z } from "zod";
import { type MaintenanceWindow, MaintenanceWindowSchema } from "../../core/config/maintenance.ts";
import type { Config } from "../../core/config/schema.ts";
import { inScope, occurrencesBetween } from "../../core/maintenance/windows.ts";
import { stateShards } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { requireAdmin } from "./admin-auth.ts";
import { publicNow } from "./public-cache.ts";
import { readSnapshot } from "./snapshot-source.ts";
import { BadRequest, parseParams } from "./validate.ts";

export const maintenanceRoutes = new Hono<{ Bindings: Env }>();

const DAY = 86_400_000;
const board = (env: Env) => env.BOARD.getByName("global");

export interface PlannedMaintenance {
  id: string;
  title: string | null;
  start: string;
  end: string;
  source: "config" | "admin";
  monitors: string[];
}

/** Occurrences of config and admin windows overlapping [from, to), with the monitors they cover. */
export function plannedMaintenance(
  config: Config,
  admin: readonly MaintenanceWindow[],
  from: number,
  to: number,
): PlannedMaintenance[] {
  const all = [
    ...config.maintenance.map((w) => ({ w, source: "config" as const })),
    ...admin.map((w) => ({ w, source: "admin" as const })),
  ];
  return all
    .flatMap(({ w, source }) =>
      occurrencesBetween(w, from, to).map((o) => ({
        id: w.id,
        title: w.title ?? null,
        start: new Date(o.start).toISOString(),
        end: new Date(o.end).toISOString(),
        source,
        monitors: config.monitors
          .filter((m) => inScope(w, { id: m.id, tags: m.tags as Record<string, string> }))
          .map((m) => m.id),
      })),
    )
    .sort((a, b) => a.start.localeCompare(b.start));
}

/** Current and coming maintenance (next 7 days), public. */
maintenanceRoutes.get("/maintenance", async (c) => {
  const config = loadConfig(c.env);
  const snapshot = await readSnapshot(c.env);
  const now = publicNow(snapshot.generatedAt);
  return c.json({ windows: plannedMaintenance(config, snapshot.maintenance ?? [], now, now + 7 * DAY) });
});

/** State objects decide with the windows in hand, so every change is pushed to all of them. */
async function pushToStateObjects(env: Env, windows: MaintenanceWindow[]): Promise<void> {
  const config = loadConfig(env);
  await Promise.all(stateShards(config).map((name) => env.STATE.getByName(name).setMaintenance(windows)));
}

maintenanceRoutes.put("/admin/maintenance/:id", requireAdmin, async (c) => {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new BadRequest([{ parameter: "body", message: "expected a JSON maintenance window" }]);
  }
  const window = parseParams(MaintenanceWindowSchema, { ...(body as object), id: c.req.param("id") });
  const config = loadConfig(c.env);
  if (config.maintenance.some((w) => w.id === window.id)) {
    throw new BadRequest([
      { parameter: "id", message: `'${window.id}' is a config window; change it in the config` },
    ]);
  }
  const windows = await board(c.env).putMaintenance(window);
  await pushToStateObjects(c.env, windows);
  return c.json({ window, windows: windows.length }, 201);
});

maintenanceRoutes.delete("/admin/maintenance/:id", requireAdmin, async (c) => {
  const { id } = parseParams(z.object({ id: z.string().min(1).max(63) }), c.req.param());
  const { removed, windows } = await board(c.env).deleteMaintenance(id);
  if (!removed) return c.json({ error: "not_found", message: `no admin maintenance window '${id}'` }, 404);
  await pushToStateObjects(c.env, windows);
  return c.body(null, 204);
});
