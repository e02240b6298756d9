import { z } from "zod";
import { ProbePhaseSchema, ProbeTimingsSchema } from "./result.ts";
import { StateSchema } from "./verdict.ts";

/** What the public may see of one vantage. Never a URL, host, IP or port. */
export const PublicVantageSchema = z.object({
  region: z.string(),
  state: StateSchema,
  since: z.string().describe("RFC 3339"),
  checkedAt: z.string().describe("RFC 3339"),
  latencyMs: z.number().optional(),
  height: z.number().int().optional(),
  reasons: z.array(z.string()),
});

export const UptimeSchema = z.object({
  "24h": z.number().nullable(),
  "7d": z.number().nullable(),
  "30d": z.number().nullable(),
});

export const PublicMonitorSchema = z.object({
  id: z.string(),
  name: z.string(),
  chain: z.string(),
  kind: z.string(),
  state: StateSchema,
  since: z.string().nullable(),
  reasons: z.array(z.string()),
  height: z.number().int().optional(),
  latencyMs: z.number().optional(),
  certExpiresAt: z
    .string()
    .optional()
    .describe("tls-cert monitors: earliest expiry in the certificate chain"),
  uptime: UptimeSchema,
  vantages: z.array(PublicVantageSchema),
  target: z.string().optional().describe("Only for monitors marked public"),
  validator: z
    .object({ chain: z.string(), key: z.string() })
    .optional()
    .describe("Validator kinds: the key judged (public on chain); the page lists these under Validators"),
});
export type PublicMonitor = z.infer<typeof PublicMonitorSchema>;
export type PublicVantage = z.infer<typeof PublicVantageSchema>;

export const MonitoringHealthSchema = z.object({
  state: z
    .enum(["ok", "degraded"])
    .describe("degraded: the checker itself has a problem; states may be stale"),
  since: z.string().nullable(),
  problems: z.array(z.string()),
});

export const PlannedMaintenanceSchema = z.object({
  id: z.string(),
  title: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  source: z.enum(["config", "admin"]),
  monitors: z.array(z.string()).describe("Monitor ids the window covers"),
});

export const StatusResponseSchema = z.object({
  generatedAt: z.string(),
  monitoring: MonitoringHealthSchema,
  maintenance: z.array(PlannedMaintenanceSchema).describe("Active or starting within 7 days"),
  monitors: z.array(PublicMonitorSchema),
});
export type StatusResponse = z.infer<typeof StatusResponseSchema>;

export const IncidentSchema = z.object({
  id: z.string(),
  monitorId: z.string(),
  state: z.enum(["down", "degraded"]),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  durationSec: z.number().nullable(),
  reasons: z.array(z.string()),
  notes: z
    .array(z.object({ at: z.string(), text: z.string() }))
    .describe("Manual notes added through the admin API, oldest first"),
});

export const HistoryPointSchema = z.object({
  at: z.string().describe("When the probe started"),
  receivedAt: z
    .string()
    .describe("When its result reached the checker's state: the probe's own time plus delivery"),
  vantage: z.string(),
  state: StateSchema,
  latencyMs: z.number(),
  height: z.number().int().optional(),
  error: z.string().optional(),
  phase: ProbePhaseSchema.optional().describe("A failed probe: the phase it failed in"),
  timings: ProbeTimingsSchema.optional().describe("Ms from the probe's start to the end of each phase"),
  reasons: z.array(z.string()),
});
