import { z } from "zod";
import { MonitorIdSchema } from "../../core/config/schema.ts";
import { SilenceFieldsSchema } from "../../core/silence/silence.ts";

// Request and response schemas of the badge, silence and note routes, kept free of runtime
// imports so the OpenAPI document can be built anywhere (Worker, Node tests, CLIs).

export const BadgeIdParams = z.object({ id: MonitorIdSchema });
export const UptimeWindowSchema = z.enum(["24h", "7d", "30d"]);
export const UptimeBadgeQuery = z.object({ window: UptimeWindowSchema.default("30d") });
export const ShieldsQuery = z.object({
  type: z.enum(["status", "uptime"]).default("status"),
  window: UptimeWindowSchema.default("30d"),
});
/** https://shields.io/badges/endpoint-badge */
export const ShieldsEndpointSchema = z.object({
  schemaVersion: z.literal(1),
  label: z.string(),
  message: z.string(),
  color: z.string(),
  cacheSeconds: z.number().int().optional(),
});

export const SilenceIdParams = z.object({ id: z.string().min(1).max(63) });
/** The body of PUT /admin/silences/{id}: the id comes from the path. */
export const SilenceBodySchema = SilenceFieldsSchema.omit({ id: true });

export const IncidentIdParams = z.object({ id: z.string().min(1).max(200) });
export const IncidentNoteBodySchema = z.strictObject({
  text: z.string().trim().min(1).max(2000).describe("Plain text; shown escaped on the status page"),
});
