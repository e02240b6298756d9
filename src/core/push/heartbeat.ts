import { z } from "zod";
import { PUSH_VANTAGE } from "../agent/vantage.ts";
import type { Monitor } from "../config/schema.ts";
import type { ProbeRecord } from "../records.ts";
import { redactUrls } from "../redact.ts";
import type { ProbeResult } from "../result.ts";
import { slotAt, slotClock, slotStart } from "../schedule.ts";

/** What a call to `/api/v1/push/<token>` may say, from its query string or its JSON or form body. */
export const PushCallSchema = z.strictObject({
  status: z.enum(["up", "down"], { error: "expected 'up' or 'down'" }).default("up"),
  msg: z.string().max(200, "at most 200 characters").optional(),
  durationMs: z.coerce
    .number({ error: "expected a number of milliseconds" })
    .nonnegative("expected a number of milliseconds")
    .max(86_400_000, "at most a day")
    .optional(),
});
export type PushCall = z.infer<typeof PushCallSchema>;

export type PushMonitor = Monitor & { check: Extract<Monitor["check"], { kind: "push" }> };

export const isPushMonitor = (m: Monitor): m is PushMonitor => m.check.kind === "push";

/** Largest body a push call may carry; anything bigger is not a heartbeat. */
export const PUSH_BODY_MAX = 1024;

/** 45_000 → "45 s", 420_000 → "7 min", 7_200_000 → "2 h"; rounded down, so never overstated. */
export function humanSpan(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

const clockOf = (m: Monitor) => slotClock(m.id, m.intervalSec);
const slotStartAt = (m: Monitor, t: number) => slotStart(clockOf(m), slotAt(clockOf(m), t));

/** Control characters and URLs (which may carry keys) never reach a reason or an alert. */
function cleanMessage(msg: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return redactUrls(msg.replace(/[\u0000-\u001f\u007f]+/g, " ")).trim();
}

/** The record a heartbeat becomes: the job's own word on whether it worked, and how long it took. */
export function beatRecord(monitor: Monitor, call: PushCall, now: number): ProbeRecord {
  const latencyMs = call.durationMs ?? 0;
  const msg = call.msg === undefined ? "" : cleanMessage(call.msg);
  const result: ProbeResult =
    call.status === "up"
      ? { ok: true, latencyMs }
      : {
          ok: false,
          latencyMs,
          error: {
            kind: "reported_down",
            message: msg === "" ? "the job reported a failure" : `reported down: ${msg}`,
          },
        };
  return {
    monitorId: monitor.id,
    vantage: PUSH_VANTAGE,
    scheduledAt: slotStartAt(monitor, now),
    checkedAt: now,
    result,
  };
}

/** When the next heartbeat is due at the latest, given the last one. */
export function heartbeatDeadline(monitor: PushMonitor, lastBeatAt: number): number {
  return lastBeatAt + (monitor.intervalSec + monitor.check.graceSec) * 1000;
}

/**
 * What the checker knows of a monitor's last heartbeat. `live`: it saw the call itself. Otherwise
 * it learnt the time from its stored records after a restart, and calls after that one in the same
 * interval slot (kept in memory only) may have been lost with the old instance.
 */
export interface LastBeat {
  at: number;
  live: boolean;
}

/**
 * The time a missed deadline counts from. After a restart it assumes the latest call the lost
 * memory could have held (the end of the recorded call's slot, or the restart if sooner), so a
 * restart can delay a "down" by an interval but never raise a false one.
 */
export function deadlineBase(monitor: PushMonitor, beat: LastBeat, restartedAt: number): number {
  if (beat.live) return beat.at;
  const clock = clockOf(monitor);
  const slotEnd = slotStart(clock, slotAt(clock, beat.at) + 1);
  return Math.max(beat.at, Math.min(restartedAt, slotEnd));
}

/**
 * The record of a missed heartbeat: undefined while the deadline has not passed. Its slot is the
 * current one, so a monitor that stays silent gets one such record per interval, like a probe.
 */
export function missedRecord(
  monitor: PushMonitor,
  beat: LastBeat,
  restartedAt: number,
  now: number,
): ProbeRecord | undefined {
  if (now < heartbeatDeadline(monitor, deadlineBase(monitor, beat, restartedAt))) return undefined;
  const message = `no heartbeat for ${humanSpan(now - beat.at)}, expected every ${humanSpan(monitor.intervalSec * 1000)}`;
  return {
    monitorId: monitor.id,
    vantage: PUSH_VANTAGE,
    scheduledAt: slotStartAt(monitor, now),
    checkedAt: now,
    result: { ok: false, latencyMs: 0, error: { kind: "no_heartbeat", message } },
  };
}
