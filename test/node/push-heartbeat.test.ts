import { describe, expect, it } from "vitest";
import { MonitorSchema } from "../../src/core/config/schema.ts";
import {
  beatRecord,
  deadlineBase,
  humanSpan,
  isPushMonitor,
  missedRecord,
  PushCallSchema,
  type PushMonitor,
} from "../../src/core/push/heartbeat.ts";
import { slotAt, slotClock, slotStart } from "../../src/core/schedule.ts";

const monitor = MonitorSchema.parse({
  id: "nightly-backup",
  name: "Nightly backup",
  chain: "generic",
  check: { kind: "push", token: { secret: "BACKUP_PUSH_TOKEN" }, graceSec: 120 },
  intervalSec: 300,
}) as PushMonitor;

describe("push monitor config", () => {
  it("has one vantage, its caller: no regions, no agents, thresholds of one", () => {
    expect(isPushMonitor(monitor)).toBe(true);
    expect(monitor).toMatchObject({ regions: [], agents: [], failureThreshold: 1, recoveryThreshold: 1 });
  });

  it("refuses regions, agents or a quorum, naming the field", () => {
    const base = { id: "p", name: "P", chain: "generic", check: { kind: "push", token: { secret: "T" } } };
    for (const [field, value] of [
      ["regions", ["weur", "enam"]],
      ["agents", ["box"]],
      ["quorum", 2],
    ] as const) {
      const r = MonitorSchema.safeParse({ ...base, [field]: value });
      expect(r.success, field).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join("."))).toContain(field);
      expect(r.error?.issues[0]?.message).toMatch(/a push monitor is not probed/);
    }
    // a short interval needs no timeout to fit inside it: nothing is probed
    expect(MonitorSchema.safeParse({ ...base, intervalSec: 10 }).success).toBe(true);
  });
});

describe("push calls", () => {
  it("default to up; status, msg and durationMs are checked by name", () => {
    expect(PushCallSchema.parse({})).toEqual({ status: "up" });
    expect(PushCallSchema.parse({ status: "down", msg: "disk full", durationMs: "4200" })).toEqual({
      status: "down",
      msg: "disk full",
      durationMs: 4200,
    });
    const bad = PushCallSchema.safeParse({ status: "maybe", durationMs: "-1", extra: 1 });
    expect(bad.error?.issues.map((i) => i.path.join(".") || i.message).sort()).toEqual(
      ["durationMs", "status", 'Unrecognized key: "extra"'].sort(),
    );
  });

  it("become records: up with the job's duration, down with its message (no URLs, no control characters)", () => {
    const now = Date.UTC(2026, 11, 2, 3, 0, 7);
    const up = beatRecord(monitor, { status: "up", durationMs: 1500 }, now);
    const clock = slotClock(monitor.id, monitor.intervalSec);
    expect(up).toEqual({
      monitorId: "nightly-backup",
      vantage: "push",
      scheduledAt: slotStart(clock, slotAt(clock, now)),
      checkedAt: now,
      result: { ok: true, latencyMs: 1500 },
    });
    const down = beatRecord(
      monitor,
      { status: "down", msg: "upload to https://user:pw@backup.example/x?key=1 failed\n\u0007" },
      now,
    );
    expect(down.result.ok).toBe(false);
    expect(down.result.error?.kind).toBe("reported_down");
    expect(down.result.error?.message).toMatch(/^reported down: upload to .* failed$/);
    expect(down.result.error?.message).not.toMatch(/pw|key=1/);
    expect([...(down.result.error?.message ?? "")].some((ch) => ch.charCodeAt(0) < 32)).toBe(false);
    expect(beatRecord(monitor, { status: "down" }, now).result.error?.message).toBe(
      "the job reported a failure",
    );
  });
});

describe("missed heartbeats", () => {
  const beat = Date.UTC(2026, 11, 2, 3, 0, 0);
  const deadline = beat + (300 + 120) * 1000;

  it("nothing before interval + grace; then down, saying how long and how often it was expected", () => {
    expect(missedRecord(monitor, { at: beat, live: true }, 0, deadline - 1)).toBeUndefined();
    const miss = missedRecord(monitor, { at: beat, live: true }, 0, deadline + 60_000);
    expect(miss?.result).toEqual({
      ok: false,
      latencyMs: 0,
      error: { kind: "no_heartbeat", message: "no heartbeat for 8 min, expected every 5 min" },
    });
  });

  it("after a restart, counts from the latest call the lost memory could have held: later, never sooner", () => {
    const clock = slotClock(monitor.id, monitor.intervalSec);
    const slotEnd = slotStart(clock, slotAt(clock, beat) + 1);
    // restarted long after the slot: calls after the recorded one happened before the slot's end
    expect(deadlineBase(monitor, { at: beat, live: false }, beat + 3_600_000)).toBe(slotEnd);
    // restarted within the slot: they happened before the restart
    expect(deadlineBase(monitor, { at: beat, live: false }, beat + 1000)).toBe(
      Math.min(beat + 1000, slotEnd),
    );
    expect(deadlineBase(monitor, { at: beat, live: true }, beat + 3_600_000)).toBe(beat);
    const lost = { at: beat, live: false };
    expect(missedRecord(monitor, lost, beat + 3_600_000, slotEnd + 420_000 - 1)).toBeUndefined();
    expect(missedRecord(monitor, lost, beat + 3_600_000, slotEnd + 420_000)?.result.error?.kind).toBe(
      "no_heartbeat",
    );
  });

  it("spans read the way people say them, rounded down", () => {
    expect([45_000, 119_999, 420_000, 7_200_000, 86_400_000 * 3].map(humanSpan)).toEqual([
      "45 s",
      "119 s",
      "7 min",
      "2 h",
      "3 d",
    ]);
  });
});
