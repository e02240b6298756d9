import { z } from "zod";

const Durations = {
  upSec: z.number(),
  degradedSec: z.number(),
  downSec: z.number(),
  unknownSec: z.number(),
  maintenanceSec: z.number(),
};
const Latency = z
  .object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })
  .describe("Probe latency percentiles in ms, from the mergeable sketch (±2 %)");
const Region = z.object({
  region: z.string(),
  ...Durations,
  availabilityPercent: z.number().nullable(),
  probes: z.number().int(),
  latencyMs: Latency,
});
const Summary = {
  ...Durations,
  availabilityPercent: z.number().nullable().describe("Four decimals; null when nothing counted"),
  slaTargetPercent: z.number().nullable(),
  targetMet: z.boolean().nullable(),
  probes: z.number().int(),
  latencyMs: Latency,
  incidents: z.number().int(),
  mttrSec: z.number().nullable(),
};

/** The signed SLA report as GET /api/v1/reports/sla?format=json returns it (docs/sla.md). */
export const SlaReportSchema = z.object({
  kind: z.literal("sla-report"),
  methodologyVersion: z.string(),
  generatedAt: z.string(),
  period: z.object({ from: z.string(), to: z.string(), tz: z.string(), month: z.string().nullable() }),
  scope: z.object({
    monitor: z.string().nullable(),
    tag: z.string().nullable(),
    operator: z.string().nullable(),
  }),
  unknownPolicy: z.enum(["exclude", "down", "up"]),
  summary: z.object(Summary),
  regions: z.array(Region),
  monitors: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      observedFrom: z.string().nullable(),
      ...Summary,
      regions: z.array(Region),
    }),
  ),
  incidents: z.array(
    z.object({
      id: z.string(),
      monitorId: z.string(),
      state: z.enum(["down", "degraded"]),
      openedAt: z.string(),
      closedAt: z.string().nullable(),
      durationSec: z.number().nullable(),
      inPeriodSec: z.number(),
      inMaintenanceSec: z.number(),
      reasons: z.array(z.string()),
    }),
  ),
  maintenance: z.array(
    z.object({
      id: z.string(),
      monitorId: z.string(),
      title: z.string().nullable(),
      start: z.string(),
      end: z.string(),
      inPeriodSec: z.number(),
    }),
  ),
  signature: z.object({
    alg: z.literal("HMAC-SHA256"),
    keyId: z.string(),
    value: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
