import type { Region } from "../../core/config/regions.ts";
import type { Monitor } from "../../core/config/schema.ts";
import type { ProbeResult } from "../../core/result.ts";
import { MissingSecretError, resolveHeaders } from "../../core/secrets.ts";
import { runProbe } from "../run-probe.ts";

export const USER_AGENT = "chain-uptime/0.1";

/** One probe of one monitor from one region; never throws, never outlives the monitor's timeout. */
export async function probeOne(monitor: Monitor, region: Region, env: object): Promise<ProbeResult> {
  const check = monitor.check;
  let headers: Record<string, string>;
  try {
    headers = "headers" in monitor.check ? resolveHeaders(monitor.check.headers, env) : {};
  } catch (e) {
    if (e instanceof MissingSecretError)
      return { ok: false, latencyMs: 0, error: { kind: "internal", message: e.message } };
    throw e;
  }
  const options = { timeoutMs: monitor.timeoutMs, userAgent: `${USER_AGENT} (vantage ${region})`, headers };
  // runProbe keeps its own deadline and never throws; nothing here can outlive timeoutMs.
  return runProbe(check, options, new AbortController().signal);
}
