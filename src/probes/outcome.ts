import type { ChainFacts, ProbeResult } from "../core/result.ts";
import { type ClassifyContext, classifyError } from "./classify.ts";

/** A successful result; facts are optional (a TCP connect has none). */
export function okResult(latencyMs: number, facts?: ChainFacts): ProbeResult {
  return facts === undefined ? { ok: true, latencyMs } : { ok: true, latencyMs, facts };
}

/**
 * A failed result from whatever was thrown. Latency is the time to response headers when the
 * probe got that far, otherwise the time until it gave up (so a timeout reads as its budget).
 */
export function failedResult(err: unknown, ctx: ClassifyContext, latencyMs?: number): ProbeResult {
  return { ok: false, latencyMs: latencyMs ?? ctx.deadline.elapsed(), error: classifyError(err, ctx) };
}
