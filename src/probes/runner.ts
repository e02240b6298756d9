import type { Check, CheckKind } from "../core/kinds/index.ts";
import { type ProbeResult, ProbeResultSchema } from "../core/result.ts";
import { cleanMessage } from "./classify.ts";
import type { Platform, Probe, ProbeOptions, ProbeRun, ProbeTable } from "./contract.ts";
import { type Deadline, startDeadline, withTimeout } from "./deadline.ts";
import { failedResult } from "./outcome.ts";
import { targetOf } from "./target.ts";

/** How long past its own deadline a probe may take before we stop waiting for it. */
const GRACE_MS = 250;
const OVERRUN = Symbol("overrun");

export type RunProbe = (check: Check, options: ProbeOptions, signal: AbortSignal) => Promise<ProbeResult>;

/**
 * The one probe runner, for the Worker and the agent alike (each brings its probe table and its
 * platform). It owns what every probe needs and none should write: the deadline, the never-throw
 * guarantee (whatever a probe throws becomes a classified failure; a bug is `internal`, which
 * evaluates to unknown, not down), settling within timeoutMs plus a small grace, the result's schema
 * check, and redaction of the target from every message.
 */
export function createRunner<K extends CheckKind>(probes: ProbeTable<K>, platform: Platform): RunProbe {
  const table = probes as unknown as Partial<Record<string, Probe<Check>>>;
  return async (check, options, signal) => {
    const target = targetOf(check);
    const deadline = startDeadline(options.timeoutMs, signal);
    const cleanups: (() => unknown)[] = [];
    const run: ProbeRun = { options, deadline, target, platform, defer: (f) => cleanups.push(f) };
    const probe = table[check.kind];
    const attempt = (async (): Promise<ProbeResult> => {
      if (!probe) {
        return fail(deadline.elapsed(), "internal", `check kind '${check.kind}' cannot be probed here`);
      }
      try {
        return await probe(check, run);
      } catch (err) {
        return failedResult(err, { deadline, ...target }, run.latencyMs);
      }
    })();
    try {
      const result = await withTimeout(attempt, options.timeoutMs + GRACE_MS, (): typeof OVERRUN => OVERRUN);
      if (result === OVERRUN) {
        const message = `no answer within ${options.timeoutMs} ms (probe overran)`;
        return withPhases(fail(deadline.elapsed(), "timeout", message), deadline);
      }
      return withPhases(sanitize(result, target.hosts, deadline.elapsed), deadline);
    } finally {
      // Aborts whatever the probe still has in flight (streams, sockets), then its own cleanup.
      deadline.dispose();
      for (const cleanup of cleanups) {
        try {
          Promise.resolve(cleanup()).catch(() => {});
        } catch {
          // cleanup is best effort: the probe's result is already decided
        }
      }
    }
  };
}

/** The phase a failure happened in, and the time each completed phase took, as the deadline saw them. */
function withPhases(result: ProbeResult, deadline: Deadline): ProbeResult {
  const timings = { ...deadline.timings };
  const out: ProbeResult = Object.keys(timings).length > 0 ? { ...result, timings } : result;
  return !out.ok && deadline.phase !== undefined && out.phase === undefined
    ? { ...out, phase: deadline.phase }
    : out;
}

function fail(latencyMs: number, kind: "timeout" | "internal", message: string): ProbeResult {
  return { ok: false, latencyMs, error: { kind, message } };
}

/** Checks the probe's result against the schema and redacts its message once more (defence in depth). */
function sanitize(result: unknown, hosts: readonly string[], elapsed: () => number): ProbeResult {
  const parsed = ProbeResultSchema.safeParse(result);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.map(String).join(".")}: ${first.message}` : "unknown";
    return fail(elapsed(), "internal", cleanMessage(`probe returned an invalid result (${where})`, hosts));
  }
  const r = parsed.data;
  return r.error ? { ...r, error: { ...r.error, message: cleanMessage(r.error.message, hosts) } } : r;
}
