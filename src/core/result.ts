import { z } from "zod";

/**
 * How a probe failed. Each kind tells the operator where to look:
 * the network (refused, timeout, dns, tls), the server (http_status), or the payload (bad_body, protocol).
 * `too_large` is a bounded read that hit its limit; `internal` is our own fault and evaluates to `unknown`.
 */
export const ProbeErrorKindSchema = z.enum([
  "refused",
  "timeout",
  "dns",
  "tls",
  "http_status",
  "bad_body",
  "too_large",
  "protocol",
  "internal",
]);
export type ProbeErrorKind = z.infer<typeof ProbeErrorKindSchema>;

export const ProbeErrorSchema = z.object({
  kind: ProbeErrorKindSchema,
  message: z.string().max(500),
  httpStatus: z.number().int().optional(),
});
export type ProbeError = z.infer<typeof ProbeErrorSchema>;

export const UpgradeSchema = z.object({
  activationPoint: z.string().describe("Era id or RFC 3339 timestamp, as the node reports it"),
  protocolVersion: z.string(),
});

/** Chain facts a probe observed, normalised across chains so evaluators and the API share one shape. */
export const ChainFactsSchema = z.object({
  height: z.number().int().nonnegative().optional(),
  lastBlockAt: z.number().int().optional().describe("Unix ms of the node's latest block"),
  syncState: z.string().max(64).optional().describe("Casper reactor_state, Chia sync mode, …"),
  peers: z.number().int().nonnegative().optional(),
  chainName: z.string().max(128).optional(),
  version: z.string().max(128).optional(),
  upgrade: UpgradeSchema.nullable().optional(),
  /** SSE probes: whether a new block was announced within the configured window. */
  blockSeen: z.boolean().optional(),
  events: z.number().int().nonnegative().optional(),
});
export type ChainFacts = z.infer<typeof ChainFactsSchema>;

export const ProbeResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative(),
  error: ProbeErrorSchema.optional(),
  facts: ChainFactsSchema.optional(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;
