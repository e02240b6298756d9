import { describe, expect, it } from "vitest";
import { runLimited } from "../../src/core/limiter.ts";
import { isDue, slotAt, slotClock, slotStart } from "../../src/core/schedule.ts";
import { availability, timeInStates } from "../../src/core/uptime.ts";

describe("interval slots", () => {
  const clock = slotClock("casper-a", 30);
  it("phase is stable and inside the interval", () => {
    expect(clock).toEqual(slotClock("casper-a", 30));
    expect(clock.phaseMs).toBeGreaterThanOrEqual(0);
    expect(clock.phaseMs).toBeLessThan(30_000);
    // phases sit on the 1 s grid and spread over all of it (on a 5 s grid 100 would share 6
    // instants), and each sixth of the interval gets some
    const phases = Array.from({ length: 200 }, (_, i) => slotClock(`m-${i}`, 30).phaseMs);
    expect(phases.every((p) => p % 1000 === 0)).toBe(true);
    expect(new Set(phases).size).toBe(30);
    expect(new Set(phases.map((p) => Math.floor(p / 5000))).size).toBe(6);
  });
  it("runs once per slot, tolerates a late alarm, and skips missed slots", () => {
    const t = slotStart(clock, 1000);
    expect(slotAt(clock, t)).toBe(1000);
    expect(slotAt(clock, t - 1)).toBe(999);
    expect(isDue(clock, undefined, t)).toBe(true);
    expect(isDue(clock, 1000, t + 29_999)).toBe(false);
    expect(isDue(clock, 1000, t + 30_000)).toBe(true);
    expect(isDue(clock, 999, t + 25_000)).toBe(true); // late alarm, same slot
    expect(slotAt(clock, t + 95_000)).toBe(1003); // three slots later: runs once, in 1003
  });
});

describe("concurrency limiter", () => {
  it("never has more than `limit` tasks in flight and keeps order", async () => {
    let inFlight = 0;
    let max = 0;
    const out = await runLimited([...Array(20).keys()], 6, async (i) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
      inFlight--;
      return i * 2;
    });
    expect(max).toBe(6);
    expect(out).toEqual([...Array(20).keys()].map((i) => i * 2));
  });
  it("rejects a nonsense limit", async () => {
    await expect(runLimited([1], 0, async (x) => x)).rejects.toThrow("limit must be a positive integer");
  });
});

describe("time-weighted uptime", () => {
  it("each state owns the time until the next transition; before the first is not counted", () => {
    const d = timeInStates(
      [
        { at: 100, state: "up" },
        { at: 400, state: "down" },
        { at: 500, state: "unknown" },
        { at: 600, state: "degraded" },
      ],
      0,
      1000,
    );
    expect(d).toEqual({ up: 300, down: 100, unknown: 100, degraded: 400, maintenance: 0 });
    expect(availability(d)).toBeCloseTo(700 / 800);
  });
  it("clips to the window and returns null without observations", () => {
    expect(timeInStates([{ at: 0, state: "up" }], 250, 300).up).toBe(50);
    expect(availability(timeInStates([], 0, 1000))).toBeNull();
    expect(availability(timeInStates([{ at: 0, state: "unknown" }], 0, 1000))).toBeNull();
  });
});
