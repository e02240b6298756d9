import { z } from "zod";
import { bodyBytes, HeadersSchema, httpUrl, sseLimits } from "./common.ts";

/**
 * Casper check kinds beyond REST/RPC/SSE: the node's Prometheus `/metrics` and the 2.0 event
 * sidecar's three ports (reference/CHAINS.md A.2, A.7). Registered into CheckSchema's
 * discriminated union through CASPER_EXTRA_CHECKS.
 */

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
  url: httpUrl("8888/metrics").describe("The node's REST /metrics URL (port 8888)"),
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

/** Whether a URL's path ends in /events; an unparsable URL is left to the url check to report. */
function endsInEvents(url: string): boolean {
  try {
    return /\/events\/?$/.test(new URL(url).pathname);
  } catch {
    return true;
  }
}

/** The event windows mirror casper-sse's. */
export const CasperSidecarEventsCheckSchema = z.strictObject({
  kind: z.literal("casper-sidecar-events"),
  url: httpUrl("19999/events")
    .refine(endsInEvents, "the sidecar's /events URL (path ending in /events)")
    .describe(
      "The sidecar's SSE /events URL (port 19999); its /events/sidecar stream is read first for the sidecar version",
    ),
  headers: HeadersSchema,
  ...sseLimits("SidecarVersion and then the node's ApiVersion must each arrive within this time"),
});

export const CasperSidecarRestCheckSchema = z.strictObject({
  kind: z.literal("casper-sidecar-rest"),
  url: httpUrl("18888").describe("The sidecar's REST base URL (port 18888); the probe reads <url>/block"),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(2_097_152),
});

export const CasperSidecarAdminCheckSchema = z.strictObject({
  kind: z.literal("casper-sidecar-admin"),
  url: httpUrl("18887/metrics").describe("The sidecar's admin /metrics URL (port 18887)"),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(1_048_576),
  node: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe("The node_statuses `node` label to read (ip:port); default: the worst of all connected nodes"),
});

export type CasperMetricsCheck = z.infer<typeof CasperMetricsCheckSchema>;
export type CasperSidecarEventsCheck = z.infer<typeof CasperSidecarEventsCheckSchema>;
export type CasperSidecarRestCheck = z.infer<typeof CasperSidecarRestCheckSchema>;
export type CasperSidecarAdminCheck = z.infer<typeof CasperSidecarAdminCheckSchema>;

/** Spread into CheckSchema's discriminated union. */
export const CASPER_EXTRA_CHECKS = [
  CasperMetricsCheckSchema,
  CasperSidecarEventsCheckSchema,
  CasperSidecarRestCheckSchema,
  CasperSidecarAdminCheckSchema,
] as const;

/** Spread into CHECK_CHAIN: every kind here belongs to Casper. */
export const CASPER_EXTRA_CHECK_CHAIN = {
  "casper-metrics": "casper",
  "casper-sidecar-events": "casper",
  "casper-sidecar-rest": "casper",
  "casper-sidecar-admin": "casper",
} as const;
