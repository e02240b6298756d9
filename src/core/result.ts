import { z } from "zod";
import { CertFactsSchema } from "./agent/facts.ts";
import { ValidatorFactsSchema } from "./validators/facts.ts";

/**
 * How a probe failed. Each kind tells the operator where to look:
 * the network (refused, timeout, dns, tls), the server (http_status), or the payload (bad_body, protocol).
 * `too_large` is a bounded read that hit its limit. Push monitors fail with `no_heartbeat` (no call
 * in time) or `reported_down` (the call said so). Three kinds evaluate to `unknown`, never `down`,
 * because they say nothing about the node: `internal` (our own fault), `rate_limited` (a proxy in
 * front of the node throttled us) and `config` (the monitor asks for something the endpoint is
 * configured not to allow, e.g. an RPC action a proxy blocks).
 */
export const ProbeErrorKindSchema = z.enum([
  "rate_limited",
  "config",
  "refused",
  "timeout",
  "dns",
  "tls",
  "http_status",
  "bad_body",
  "too_large",
  "protocol",
  "internal",
  "no_heartbeat",
  "reported_down",
]);
export type ProbeErrorKind = z.infer<typeof ProbeErrorKindSchema>;

/**
 * Where a probe was when it failed, like blackbox_exporter's phases: opening the connection,
 * waiting for the response head, reading the body, waiting for a stream event.
 */
export const ProbePhaseSchema = z.enum(["connect", "response", "body", "event"]);
export type ProbePhase = z.infer<typeof ProbePhaseSchema>;

/** Milliseconds from the probe's start to the end of each phase it completed. */
export const ProbeTimingsSchema = z
  .object({
    connectMs: z.number().nonnegative(),
    responseMs: z
      .number()
      .nonnegative()
      .describe("Response head (HTTP headers, WebSocket upgrade, stream open)"),
    bodyMs: z.number().nonnegative().describe("The whole body read"),
    eventMs: z.number().nonnegative().describe("First stream event"),
  })
  .partial();
export type ProbeTimings = z.infer<typeof ProbeTimingsSchema>;

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
  /** Casper event sidecar: its node connection gauge (2 = connected), see CHAINS.md A.7. */
  sidecarNodeStatus: z.number().int().optional(),
  /** Chosen gauges read from a Prometheus /metrics page. */
  metrics: z.record(z.string(), z.number()).optional(),
  /** Node software / vendor as reported (Nano version's node_vendor, Casper build_version). */
  vendor: z.string().max(128).optional(),
  /** Node identity from agent probes: Casper TLS key fingerprint, Nano node_ id. */
  nodeId: z.string().max(200).optional(),
  /** Peering protocol version (Nano header version_using), kept apart from software versions. */
  protocolVersion: z.string().max(32).optional(),
  /** The node says it is syncing (Casper P2P handshake is_syncing, Chia sync_mode). */
  syncing: z.boolean().optional(),
  /** Chia estimated netspace in bytes, as a decimal string: it exceeds 2^53. */
  netspace: z
    .string()
    .regex(/^\d{1,40}$/)
    .optional(),
  /** TLS certificate facts (agent tls-cert). */
  cert: CertFactsSchema.optional(),
  /** Validator-level checks: the operator's key as the network sees it. */
  validator: ValidatorFactsSchema.optional(),
});
export type ChainFacts = z.infer<typeof ChainFactsSchema>;

/** One user condition of a generic check, with the value it resolved to, so a failure explains itself. */
export const ConditionResultSchema = z.object({
  condition: z.string().max(500),
  ok: z.boolean(),
  /** What the left side resolved to, rendered as text (bounded). */
  actual: z.string().max(200).optional(),
  error: z.string().max(300).optional(),
});
export type ConditionResult = z.infer<typeof ConditionResultSchema>;

export const ProbeResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative(),
  error: ProbeErrorSchema.optional(),
  facts: ChainFactsSchema.optional(),
  conditions: z.array(ConditionResultSchema).max(50).optional(),
  timings: ProbeTimingsSchema.optional(),
  /** A failed probe: the phase it failed in. */
  phase: ProbePhaseSchema.optional(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;
