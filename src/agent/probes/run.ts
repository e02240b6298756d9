import type { Monitor } from "../../core/config/schema.ts";
import { type ProbeResult, ProbeResultSchema } from "../../core/result.ts";
import { cleanMessage } from "../../probes/classify.ts";
import { withTimeout } from "../../probes/deadline.ts";
import type { ProbeOptions } from "./contract.ts";
import { targetOfAny } from "./contract.ts";
import { probeFor } from "./registry.ts";

const GRACE_MS = 250;
const OVERRUN = Symbol("overrun");

/**
 * Runs the agent probe for a check under the same guarantees as the Worker's runProbe: never throws
 * (a crash is an `internal` failure, i.e. unknown), settles within timeoutMs plus a small grace,
 * matches ProbeResultSchema, and carries no target host in its message.
 */
export async function runAgentProbe(
  check: Monitor["check"],
  options: ProbeOptions,
  signal: AbortSignal,
): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  const { hosts } = targetOfAny(check as { url?: unknown; host?: unknown });
  const probe = probeFor(check);
  if (!probe) {
    return fail(elapsed(), "config", `check kind '${check.kind}' is not supported by this agent version`);
  }
  const stop = new AbortController();
  const probeSignal = AbortSignal.any([signal, stop.signal]);
  try {
    const result = await withTimeout(
      Promise.resolve().then(() => probe(check, options, probeSignal)),
      options.timeoutMs + GRACE_MS,
      (): typeof OVERRUN => OVERRUN,
    );
    if (result === OVERRUN) {
      stop.abort(new DOMException("probe overran its deadline", "TimeoutError"));
      return fail(elapsed(), "timeout", `no answer within ${options.timeoutMs} ms (probe overran)`);
    }
    const parsed = ProbeResultSchema.safeParse(result);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.map(String).join(".")}: ${first.message}` : "unknown";
      return fail(elapsed(), "internal", cleanMessage(`probe returned an invalid result (${where})`, hosts));
    }
    const r = parsed.data;
    return r.error ? { ...r, error: { ...r.error, message: cleanMessage(r.error.message, hosts) } } : r;
  } catch (err) {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return fail(elapsed(), "internal", cleanMessage(`probe crashed: ${text}`, hosts));
  }
}

function fail(latencyMs: number, kind: "timeout" | "internal" | "config", message: string): ProbeResult {
  return { ok: false, latencyMs, error: { kind, message } };
}
