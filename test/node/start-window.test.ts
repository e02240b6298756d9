import { describe, expect, it } from "vitest";
import { BEHIND_MIN_PROBES, behindProblem, StartWindows } from "../../src/core/start-window.ts";

describe("a prober behind its schedule", () => {
  it("counts scheduled starts per whole minute and hands the watchdog the last complete one", () => {
    const w = new StartWindows(0);
    for (let i = 0; i < 40; i++) w.add(i * 1000, i < 30 ? 200 : 2500, i >= 30);
    // The minute is still running: nothing complete yet.
    expect(w.lastComplete(59_000)).toBeUndefined();
    w.add(61_000, 100, false);
    expect(w.lastComplete(61_500)).toEqual({ from: 0, probes: 40, late: 10, maxLateMs: 2500 });
    // A minute later the next one is the last complete (one probe in it).
    expect(w.lastComplete(121_000)?.probes).toBe(1);
    // A prober that stopped starting anything leaves no window to judge (the silence check does).
    expect(w.lastComplete(400_000)).toBeUndefined();
  });

  it("is a problem above 5 % late starts, in words; small samples and on-time minutes are not", () => {
    const minute = (probes: number, late: number) => ({ from: 0, probes, late, maxLateMs: 9711 });
    expect(behindProblem("weur/0", minute(400, 56))).toBe(
      "prober weur/0 is behind its schedule: 14 % of its probes in the last minute started more than 1 s late (the latest 9.7 s)",
    );
    expect(behindProblem("weur/0", minute(400, 20))).toBeUndefined();
    expect(behindProblem("weur/0", minute(BEHIND_MIN_PROBES - 1, BEHIND_MIN_PROBES - 1))).toBeUndefined();
    expect(behindProblem("weur/0", undefined)).toBeUndefined();
  });
});
