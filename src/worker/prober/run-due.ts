import type { Region } from "../../core/config/regions.ts";
import type { Config, Monitor } from "../../core/config/schema.ts";
import { runLimited } from "../../core/limiter.ts";
import type { ProbeRecord } from "../../core/records.ts";
import type { ProbeResult } from "../../core/result.ts";
import { isDue, slotAt, slotClock, slotStart } from "../../core/schedule.ts";
import { MissingSecretError, resolveHeaders } from "../../core/secrets.ts";
import { runProbe } from "../run-probe.ts";

export const USER_AGENT = "chain-uptime/0.1";

export interface DueRun {
  records: ProbeRecord[];
  /** Slot each probed monitor ran in, to be remembered so it never runs twice in one slot. */
  slots: Record<string, number>;
  /** Probes that started in the slot right after the one they last ran in (none skipped). */
  onTime: number;
}

/** Monitors whose slot has come, or all of them when forced (admin "probe now", tests). */
export function dueMonitors(
  monitors: Monitor[],
  lastSlots: Record<string, number>,
  now: number,
  force: boolean,
): Monitor[] {
  return force
    ? monitors
    : monitors.filter((m) => isDue(slotClock(m.id, m.intervalSec), lastSlots[m.id], now));
}

async function probeOne(monitor: Monitor, region: Region, env: object): Promise<ProbeResult> {
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

/** Runs the given monitors from one region, at most `maxInFlight` at once. */
export async function runDue(
  config: Config,
  due: Monitor[],
  lastSlots: Record<string, number>,
  region: Region,
  env: object,
): Promise<DueRun> {
  const slots: Record<string, number> = {};
  let onTime = 0;
  const records = await runLimited(due, config.scheduler.maxInFlight, async (monitor) => {
    const clock = slotClock(monitor.id, monitor.intervalSec);
    const checkedAt = Date.now();
    const slot = slotAt(clock, checkedAt);
    slots[monitor.id] = slot;
    const last = lastSlots[monitor.id];
    if (last === undefined || slot === last + 1) onTime++;
    const result = await probeOne(monitor, region, env);
    return { monitorId: monitor.id, vantage: region, scheduledAt: slotStart(clock, slot), checkedAt, result };
  });
  return { records, slots, onTime };
}
