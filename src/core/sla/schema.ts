import { z } from "zod";

const DurationFields = {
  upSec: z.number(),
  degradedSec: z.number(),
  downSec: z.number(),
  unknownSec: z.number(),
  maintenanceSec: z.number(),
};
export const DurationsSchema = z.object(DurationFields);
export type Durations = z.infer<typeof DurationsSchema>;

const Latency = z
  .object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })
  .describe("Probe latency percentiles in ms, from the mergeable sketch (±2 %)");
export type LatencyPercentiles = z.infer<typeof Latency>;

export const RegionRowSchema = z.object({
  region: z.string(),
  ...DurationFields,
  availabilityPercent: z.number().nullable(),
  probes: z.number().int(),
  latencyMs: Latency,
});
export type RegionRow = z.infer<typeof RegionRowSchema>;

const SummaryFields = {
  ...DurationFields,
  availabilityPercent: z.number().nullable().describe("Four decimals; null when nothing counted"),
  slaTargetPercent: z.number().nullable(),
  targetMet: z.boolean().nullable(),
  probes: z.number().int(),
  latencyMs: Latency,
  incidents: z.number().int(),
  mttrSec: z.number().nullable(),
};

export const SummarySchema = z.object(SummaryFields);
export type Summary = z.infer<typeof SummarySchema>;

export const MonitorReportSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  observedFrom: z.string().nullable(),
  ...SummaryFields,
  regions: z.array(RegionRowSchema),
});
export type MonitorReport = z.infer<typeof MonitorReportSchema>;

export const IncidentRowSchema = z.object({
  id: z.string(),
  monitorId: z.string(),
  state: z.enum(["down", "degraded"]),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  durationSec: z.number().nullable().describe("Full duration (opened → closed); null while open"),
  inPeriodSec: z.number().describe("The part inside the period (open incidents: up to the period's end)"),
  inMaintenanceSec: z
    .number()
    .describe("The part inside the period that fell in maintenance (excluded from the SLA)"),
  reasons: z.array(z.string()),
});
export type IncidentRow = z.infer<typeof IncidentRowSchema>;

export const MaintenanceRowSchema = z.object({
  id: z.string(),
  monitorId: z.string(),
  title: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  inPeriodSec: z.number().describe("The part inside the period"),
});
export type MaintenanceRow = z.infer<typeof MaintenanceRowSchema>;

/**
 * One validator key (a validator-kind monitor): the share of time it was active and producing
 * (`up` only: a warning such as CannotPropose or an eviction ahead does not count), beside the
 * availability of the nodes tagged with its key, so a staking service can show delegators both.
 */
export const ValidatorRowSchema = z.object({
  monitorId: z.string(),
  name: z.string().nullable(),
  chain: z.string(),
  key: z.string(),
  ...DurationFields,
  activePercent: z
    .number()
    .nullable()
    .describe("Up (active and producing) over the counted time, four decimals"),
  nodeMonitors: z.array(z.string()).describe("Monitors tagged validatorKey = this key"),
  nodeAvailabilityPercent: z.number().nullable().describe("Their availability (up or degraded), combined"),
});
export type ValidatorRow = z.infer<typeof ValidatorRowSchema>;

export const UnknownPolicySchema = z.enum(["exclude", "down", "up"]);
export type UnknownPolicy = z.infer<typeof UnknownPolicySchema>;

/** The report before it is signed. */
export const SlaReportBodySchema = z.object({
  kind: z.literal("sla-report"),
  methodologyVersion: z.string(),
  generatedAt: z.string(),
  period: z.object({ from: z.string(), to: z.string(), tz: z.string(), month: z.string().nullable() }),
  scope: z.object({
    monitor: z.string().nullable(),
    tag: z.string().nullable(),
    operator: z.string().nullable(),
  }),
  unknownPolicy: UnknownPolicySchema,
  summary: SummarySchema,
  regions: z.array(RegionRowSchema),
  monitors: z.array(MonitorReportSchema),
  validators: z.array(ValidatorRowSchema),
  incidents: z.array(IncidentRowSchema),
  maintenance: z.array(MaintenanceRowSchema),
});
export type SlaReportBody = z.infer<typeof SlaReportBodySchema>;

/** The signed SLA report as GET /api/v1/reports/sla?format=json returns it (docs/sla.md). */
export const SlaReportSchema = SlaReportBodySchema.extend({
  signature: z.object({
    alg: z.literal("HMAC-SHA256"),
    keyId: z.string(),
    value: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
