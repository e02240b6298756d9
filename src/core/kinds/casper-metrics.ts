import { z } from "zod";
import { evaluateCasper } from "../chains/casper/evaluate.ts";
import { metricReasons } from "../chains/casper/metric-rules.ts";
import { bodyBytes, HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";

/** A Prometheus metric name, as the text format allows it. */
export const MetricNameSchema = z
  .string()
  .max(200)
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a Prometheus metric name (letters, digits, '_' and ':')");

export const GaugeBoundsSchema = z
  .strictObject({
    min: z.number().optional().describe("Below this the monitor is degraded"),
    max: z.number().optional().describe("Above this the monitor is degraded"),
  })
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, {
    message: "min must not exceed max",
  })
  .describe("Bounds for one gauge; a gauge outside them, or missing, degrades the monitor");
export type GaugeBounds = z.infer<typeof GaugeBoundsSchema>;

export const GaugeRulesSchema = z
  .record(MetricNameSchema, GaugeBoundsSchema, {
    error: (issue) =>
      issue.code === "invalid_key"
        ? "not a Prometheus metric name (letters, digits, '_' and ':', not starting with a digit)"
        : undefined,
  })
  .refine((r) => Object.keys(r).length <= 32, { message: "at most 32 gauges" })
  .describe('Gauge name → bounds, e.g. {"peers": {"min": 3}}');
export type GaugeRules = z.infer<typeof GaugeRulesSchema>;

export const CasperMetricsCheckSchema = z.strictObject({
  kind: z.literal("casper-metrics"),
  url: httpUrl("http://node.example:8888/metrics").describe("The node's REST /metrics URL (port 8888)"),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(2_097_152),
  maxSeries: z
    .number()
    .int()
    .min(10)
    .max(200_000)
    .default(20_000)
    .describe("A page with more series than this fails as too_large"),
  gauges: GaugeRulesSchema.default({}),
});

export type CasperMetricsCheck = z.infer<typeof CasperMetricsCheckSchema>;

export const casperMetrics = defineKind({
  kind: "casper-metrics",
  schema: CasperMetricsCheckSchema,
  chain: "casper",
  runsIn: ["worker"],
  evaluate: (check, facts, rules, ctx) => {
    const chain = evaluateCasper(facts, rules, ctx);
    return { ...chain, reasons: [...chain.reasons, ...metricReasons(facts.metrics, check.gauges)] };
  },
  doc: {
    what: "Prometheus text at `:8888/metrics`, parsed and bounded; `gauges` bounds",
    example: '`{"kind":"casper-metrics","url":"http://node:8888/metrics","gauges":{"peers":{"min":3}}}`',
  },
});
