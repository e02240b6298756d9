import { z } from "zod";
import { StateSchema } from "../verdict.ts";

export const AlertKindSchema = z.enum([
  "down",
  "recovered",
  "degraded",
  "reminder",
  "flapping",
  "stable",
  "cert_expiring",
  "upgrade_scheduled",
  "version_drift",
  "validator_status",
  "validator_eviction",
  "monitoring_degraded",
  "monitoring_recovered",
  "sla_report",
]);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const AlertSeveritySchema = z.enum(["info", "warning", "critical"]);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

/**
 * One thing worth telling a person, independent of where it goes. `id` is the idempotency key:
 * the same (incident, transition) always yields the same id, so it is delivered once per channel
 * however often it is produced. The payload of the generic webhook is exactly this object.
 */
export const AlertEventSchema = z.object({
  id: z.string().describe("Stable idempotency key, e.g. <incident id>:down"),
  kind: AlertKindSchema,
  severity: AlertSeveritySchema,
  at: z.string().describe("RFC 3339 time of the transition"),
  title: z.string().max(300).describe("One line for humans; plain text"),
  monitor: z
    .object({
      id: z.string(),
      name: z.string(),
      chain: z.string(),
      kind: z.string(),
      tags: z.record(z.string(), z.string()),
    })
    .optional()
    .describe("Absent for alerts about the checker itself"),
  state: StateSchema.optional(),
  incidentId: z.string().optional(),
  reasons: z.array(z.string()).max(20),
  durationSec: z.number().int().nonnegative().optional().describe("recovered: how long the incident lasted"),
  vantages: z.array(z.object({ region: z.string(), state: StateSchema })).optional(),
});
export type AlertEvent = z.infer<typeof AlertEventSchema>;

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };
