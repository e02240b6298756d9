/**
 * The agent reporting protocol, shared by the Worker and the agent.
 *
 * Every request carries three headers. The signature is HMAC-SHA256, keyed with the agent's secret
 * (UTF-8 bytes of the configured value), over `<timestamp>.<body>` where timestamp is the decimal
 * unix-ms value of X-Agent-Timestamp and body is the exact request body ("" for GET). The agent
 * signs each attempt afresh, so an identical request seen twice is a replay, never a retry.
 */
export const AGENT_HEADERS = {
  keyId: "x-agent-key-id",
  timestamp: "x-agent-timestamp",
  signature: "x-agent-signature",
} as const;

/** Signature header value: `v1=<64 hex>`; the prefix names the scheme so it can change later. */
export const SIGNATURE_SCHEME = "v1";

export const AGENT_PATHS = {
  results: "/api/v1/agent/results",
  heartbeat: "/api/v1/agent/heartbeat",
  assignments: "/api/v1/agent/assignments",
} as const;

/** A request timestamp further than this from the Worker's clock is refused (clock_skew). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Largest request body the Worker reads; the agent splits batches to stay under it. */
export const MAX_BODY_BYTES = 512 * 1024;
export const MAX_BATCH_RECORDS = 1000;

export function signingInput(timestamp: string, body: string): string {
  return `${timestamp}.${body}`;
}

/** Error codes of a refused agent request; each response also carries a message naming the problem. */
export const AGENT_ERROR_CODES = [
  "missing_signature",
  "unknown_key",
  "bad_signature",
  "clock_skew",
  "too_large",
  "invalid_batch",
  "agent_mismatch",
  "out_of_scope",
  "stale_records",
  "duplicate_batch",
  "batch_in_progress",
  "replayed",
  "agent_key_not_set",
] as const;
export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number];

/**
 * What the agent does with a refusal. `delivered`: the Worker already holds the batch (a resend of
 * an applied batch). `drop`: the batch can never be accepted (kept aside on disk for the operator).
 * `retry`: keep it and try again later (key not set yet, clock being fixed, Worker busy).
 */
export function refusalAction(status: number, code: string | undefined): "delivered" | "drop" | "retry" {
  if (code === "duplicate_batch") return "delivered";
  if (status === 400 || status === 403 || status === 413 || status === 422) return "drop";
  return "retry";
}
