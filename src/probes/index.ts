import type { Check, CheckKind } from "../core/config/checks.ts";
import { type ProbeResult, ProbeResultSchema } from "../core/result.ts";
import { casperMetricsProbe } from "./casper-metrics.ts";
import { casperRestProbe } from "./casper-rest.ts";
import { casperRpcProbe } from "./casper-rpc.ts";
import { casperSidecarAdminProbe } from "./casper-sidecar-admin.ts";
import { casperSidecarEventsProbe } from "./casper-sidecar-events.ts";
import { casperSidecarRestProbe } from "./casper-sidecar-rest.ts";
import { casperSseProbe } from "./casper-sse.ts";
import { cleanMessage } from "./classify.ts";
import type { Probe, ProbeOptions } from "./contract.ts";
import { withTimeout } from "./deadline.ts";
import { httpProbe } from "./http.ts";
import { jsonRpcGenericProbe } from "./json-rpc-generic.ts";
import { nanoRpcProbe } from "./nano-rpc.ts";
import { nanoWsProbe } from "./nano-ws.ts";
import { targetOf } from "./target.ts";
import { tcpProbe } from "./tcp.ts";

export type { Probe, ProbeOptions } from "./contract.ts";

/** One probe per check kind; the mapped type makes a missing kind a compile error. */
export const PROBES: { [K in CheckKind]: Probe<K> } = {
  "casper-rest": casperRestProbe,
  "casper-rpc": casperRpcProbe,
  "casper-sse": casperSseProbe,
  "casper-metrics": casperMetricsProbe,
  "casper-sidecar-events": casperSidecarEventsProbe,
  "casper-sidecar-rest": casperSidecarRestProbe,
  "casper-sidecar-admin": casperSidecarAdminProbe,
  "nano-rpc": nanoRpcProbe,
  "nano-ws": nanoWsProbe,
  http: httpProbe,
  "json-rpc": jsonRpcGenericProbe,
  tcp: tcpProbe,
};

/** How long past its own deadline a probe may take before we stop waiting for it. */
const GRACE_MS = 250;
const OVERRUN = Symbol("overrun");

/**
 * Runs the probe for `check` and enforces the contract whatever the probe does: it never throws
 * (a bug becomes an `internal` failure, which evaluates to unknown, not down), it settles within
 * timeoutMs plus a small grace, its result matches ProbeResultSchema, and no message carries the
 * target's URL or host.
 */
export async function runProbe(
  check: Check,
  options: ProbeOptions,
  signal: AbortSignal,
): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  const { hosts } = targetOf(check);
  // Our own controller, so an overrunning probe is told to stop.
  const stop = new AbortController();
  const probeSignal = AbortSignal.any([signal, stop.signal]);
  try {
    const probe = PROBES[check.kind] as unknown as Probe;
    const result = await withTimeout(
      Promise.resolve().then(() => probe(check, options, probeSignal)),
      options.timeoutMs + GRACE_MS,
      (): typeof OVERRUN => OVERRUN,
    );
    if (result === OVERRUN) {
      stop.abort(new DOMException("probe overran its deadline", "TimeoutError"));
      return fail(elapsed(), "timeout", `no answer within ${options.timeoutMs} ms (probe overran)`);
    }
    return sanitize(result, hosts, elapsed);
  } catch (err) {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return fail(elapsed(), "internal", cleanMessage(`probe crashed: ${text}`, hosts));
  }
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
