import { z } from "zod";
import { ProbeResultSchema } from "./result.ts";

/** One probe outcome as it travels from a prober (or agent) to the state object. */
export const ProbeRecordSchema = z.object({
  monitorId: z.string(),
  vantage: z.string().describe("Region (weur, enam, …) or agent:<id>"),
  scheduledAt: z.number().int().describe("Start of the interval slot the probe belongs to (unix ms)"),
  checkedAt: z.number().int().describe("When the probe started (unix ms)"),
  waitedMs: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "From when the probe could start (the prober's hand-off, or its slot's start when handed over ahead of it) to its start (ms): the hop to a runner and any wait for a connection",
    ),
  result: ProbeResultSchema,
  forced: z
    .boolean()
    .optional()
    .describe(
      'Probed out of schedule (a confirmation, "probe now"): may share its slot with a scheduled one',
    ),
});
export type ProbeRecord = z.infer<typeof ProbeRecordSchema>;

/** A scheduled probe the runner skipped because it could not start in time (see core/shed.ts). */
export const ShedProbeSchema = z.object({
  monitorId: z.string(),
  scheduledAt: z.number().int().describe("Start of the slot it belonged to (unix ms)"),
  waitedMs: z
    .number()
    .int()
    .nonnegative()
    .describe("How long it had waited for the engine when skipped (ms)"),
});
export type ShedProbe = z.infer<typeof ShedProbeSchema>;

export const ProbeBatchSchema = z.object({
  vantage: z.string(),
  records: z.array(ProbeRecordSchema),
  shed: z.array(ShedProbeSchema).optional().describe("Scheduled probes skipped past the engine's ceiling"),
});
export type ProbeBatch = z.infer<typeof ProbeBatchSchema>;
