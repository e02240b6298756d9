import { describe, expect, it } from "vitest";
import { MonitorSchema } from "../../src/core/config/schema.ts";
import type { ProbeRecord } from "../../src/core/records.ts";
import type { ProbeResult } from "../../src/core/result.ts";
import { slotAt, slotClock, slotStart } from "../../src/core/schedule.ts";
import { Connections } from "../../src/worker/prober/connections.ts";
import { GATHER_MS, runTick } from "../../src/worker/prober/tick-loop.ts";

/**
 * The prober's tick loop with real timers and stand-in targets: hostile ones hold their
 * connection until the timeout, healthy ones answer in 20 ms.
 */
const monitor = (id: string, intervalSec = 60) =>
  MonitorSchema.parse({
    id,
    name: id,
    chain: "generic",
    check: { kind: "tcp", host: "127.0.0.1", port: 1 },
    regions: ["weur"],
    intervalSec,
    timeoutMs: 600,
  });
const hostile = Array.from({ length: 8 }, (_, i) => monitor(`hostile-${i}`));
const healthy = Array.from({ length: 6 }, (_, i) => monitor(`healthy-${i}`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function targets() {
  const starts = new Map<string, number[]>();
  const delivered: { at: number; records: ProbeRecord[] }[] = [];
  const probe = async (m: { id: string }): Promise<ProbeResult> => {
    starts.set(m.id, [...(starts.get(m.id) ?? []), Date.now()]);
    if (m.id.startsWith("hostile")) {
      await sleep(600);
      return { ok: false, latencyMs: 600, error: { kind: "timeout", message: "no answer within 600 ms" } };
    }
    await sleep(20);
    return { ok: true, latencyMs: 20 };
  };
  const deliver = async (records: ProbeRecord[]) => {
    delivered.push({ at: Date.now(), records });
  };
  return { starts, delivered, io: { vantage: "weur", probe, deliver } };
}

/** A scheduled (not forced) run over `monitors`, six connections, nothing suspect yet. */
const scheduledPlan = (monitors: ReturnType<typeof monitor>[], lastSlots: Record<string, number>) => ({
  monitors,
  lastSlots,
  suspects: new Set<string>(),
  limit: 6,
  connections: new Connections(),
});

describe("the prober's tick loop", () => {
  it("starts and delivers healthy probes at once while hostile neighbours hold their connections", async () => {
    const suspects = new Set<string>();
    const plan = () => ({
      monitors: [...hostile, ...healthy],
      lastSlots: {},
      suspects,
      limit: 6,
      connections: new Connections(),
      force: true,
    });
    // First run: nothing known yet; the hostile ones show themselves by timing out.
    await runTick(plan(), targets().io);
    expect([...suspects].sort()).toEqual(hostile.map((m) => m.id).sort());

    const t = targets();
    const began = Date.now();
    const outcome = await runTick(plan(), t.io);
    expect(outcome.probed).toBe(14);
    for (const m of healthy) {
      const [start] = t.starts.get(m.id) ?? [];
      expect(start === undefined ? undefined : start - began, m.id).toBeLessThan(100);
      const delivery = t.delivered.find((d) => d.records.some((r) => r.monitorId === m.id));
      expect(delivery && delivery.at - began, `${m.id} delivered`).toBeLessThan(20 + GATHER_MS + 150);
    }
    // Hostile ones share at most four connections: two waves of 600 ms.
    const hostileStarts = hostile.map((m) => (t.starts.get(m.id)?.[0] ?? 0) - began).sort((a, b) => a - b);
    expect(hostileStarts.filter((s) => s < 300)).toHaveLength(4);
  });

  it("two runs over the same monitors never probe one twice in a slot", async () => {
    const monitors = Array.from({ length: 40 }, (_, i) => monitor(`m-${i}`, 10));
    const lastSlots: Record<string, number> = {};
    const shared = scheduledPlan(monitors, lastSlots);
    const t = targets();
    await Promise.all([runTick(shared, t.io), runTick(shared, t.io), runTick(shared, t.io)]);
    for (const m of monitors) {
      const clock = slotClock(m.id, m.intervalSec);
      const slots = (t.starts.get(m.id) ?? []).map((s) => slotAt(clock, s));
      expect(slots.length, m.id).toBeGreaterThan(0);
      expect(new Set(slots).size, `${m.id} slots ${slots}`).toBe(slots.length);
    }
    const records = t.delivered.flatMap((d) => d.records);
    expect(records.length).toBe([...t.starts.values()].flat().length);
  }, 30_000);
});

describe("past the ceiling", () => {
  it("probes late, oldest slot first, but never one monitor twice in a slot; the wait is reported as queueing", async () => {
    // 150 monitors every 10 s through one connection of 100 ms probes: 100 fit in an interval, so
    // starts slip past slot boundaries, where a second probe in a slot could come from.
    const monitors = Array.from({ length: 150 }, (_, i) => monitor(`busy-${i}`, 10));
    const lastSlots: Record<string, number> = {};
    const starts = new Map<string, number[]>();
    const io = {
      vantage: "weur",
      probe: async (m: { id: string }): Promise<ProbeResult> => {
        starts.set(m.id, [...(starts.get(m.id) ?? []), Date.now()]);
        await sleep(100);
        return { ok: true, latencyMs: 100 };
      },
      deliver: async () => {},
    };
    const plan = { ...scheduledPlan(monitors, lastSlots), limit: 1, maxTickMs: 11_000 };
    // Overlapping runs of one object, as an alarm that fires during a forced run would make.
    const outcomes = await Promise.all([runTick(plan, io), runTick(plan, io)]);
    for (const m of monitors) {
      const clock = slotClock(m.id, m.intervalSec);
      const slots = (starts.get(m.id) ?? []).map((t) => slotAt(clock, t));
      expect(new Set(slots).size, `${m.id} slots ${slots}`).toBe(slots.length);
    }
    const lateness = outcomes.flatMap((o) => o.lateness);
    const queued = outcomes.flatMap((o) => o.queueWait);
    expect(lateness.length).toBe(queued.length);
    expect(Math.max(...lateness)).toBeGreaterThan(1_000);
    // Late because each waited for a connection, not because the loop overslept.
    for (const [i, late] of lateness.entries()) expect(queued[i] ?? Infinity).toBeLessThanOrEqual(late);
    expect(Math.max(...queued)).toBeGreaterThan(1_000);
    // Far behind (a missed slot is not replayed: a probe that slips into the next slot counts there).
    expect(Math.max(...lateness)).toBeGreaterThan(5_000);
    expect(Math.max(...lateness)).toBeLessThan(10_000);
  }, 60_000);
});

describe("start lateness", () => {
  it("is the start time minus the start of the slot the probe ran in", async () => {
    const monitors = Array.from({ length: 4 }, (_, i) => monitor(`late-${i}`, 3600));
    const now = Date.now();
    // Each last ran in the slot before the current one: all due now, each late by its own offset.
    const lastSlots = Object.fromEntries(
      monitors.map((m) => [m.id, slotAt(slotClock(m.id, m.intervalSec), now) - 1]),
    );
    const t = targets();
    const plan = scheduledPlan(monitors, lastSlots);
    const outcome = await runTick(plan, t.io);
    expect(outcome.probed).toBe(4);
    const expected = monitors.map((m) => {
      const clock = slotClock(m.id, m.intervalSec);
      const started = t.starts.get(m.id)?.[0] ?? 0;
      return started - slotStart(clock, slotAt(clock, started));
    });
    const got = [...outcome.lateness].sort((a, b) => a - b);
    expected.sort((a, b) => a - b);
    // The stand-in target notes its start a moment after the loop does: within a few ms.
    for (const [i, ms] of got.entries()) {
      expect(Math.abs(ms - (expected[i] ?? Number.NaN))).toBeLessThanOrEqual(5);
    }
    expect(outcome.lateness.every((ms) => ms >= 0 && ms < 3_600_000)).toBe(true);
    expect(outcome.onTime).toBe(4); // each in the slot right after its last
  });
});

describe("start samples", () => {
  it("mark a start consecutive only in the slot right after the last one (not a first start, not after a gap)", async () => {
    const monitors = ["s-next", "s-first", "s-gap"].map((id) => monitor(id, 60));
    const now = Date.now();
    const slotOf = (id: string) => slotAt(slotClock(id, 60), now);
    const consecutive: boolean[] = [];
    const { io } = targets();
    const plan = {
      // s-next probed in the slot before this one; s-first never; s-gap three slots ago.
      ...scheduledPlan(monitors, { "s-next": slotOf("s-next") - 1, "s-gap": slotOf("s-gap") - 3 }),
      maxTickMs: 50,
    };
    await runTick(plan, { ...io, started: (s) => (s.forced ? undefined : consecutive.push(s.consecutive)) });
    expect(consecutive.sort()).toEqual([false, false, true]);
  });
});
