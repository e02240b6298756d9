import { describe, expect, it } from "vitest";
import { engineWaitMs, SHED_AFTER_MS, shouldShed } from "../../src/core/shed.ts";
import {
  BEHIND_MIN_PROBES,
  behindProblem,
  StartWindows,
  startsProblem,
} from "../../src/core/start-window.ts";

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

  it("is a problem above 1 % late starts, in words; small samples and on-time minutes are not", () => {
    const minute = (probes: number, late: number) => ({ from: 0, probes, late, maxLateMs: 9711 });
    expect(behindProblem("weur/0", minute(400, 56))).toBe(
      "prober weur/0 is behind its schedule: 14 % of its probes in the last minute started more than 1 s late (the latest 9.7 s)",
    );
    expect(behindProblem("weur/0", minute(400, 4))).toBeUndefined();
    expect(behindProblem("weur/0", minute(400, 5))).toMatch(/^prober weur\/0 is behind its schedule: 1 %/);
    expect(behindProblem("weur/0", minute(BEHIND_MIN_PROBES - 1, BEHIND_MIN_PROBES - 1))).toBeUndefined();
    expect(behindProblem("weur/0", undefined)).toBeUndefined();
  });
});

describe("past the ceiling", () => {
  it("skips a scheduled probe that waited for the engine longer than a window; never a forced one", () => {
    const t = 1_000_000;
    // Handed over ahead of its slot: the wait for the slot is not the engine's.
    expect(engineWaitMs({ scheduledAt: t, handedAt: t - 4_500 }, t + 200)).toBe(200);
    // A prober catching up after a silence hands over a slot begun 40 s ago: it waits from the hand-off.
    expect(engineWaitMs({ scheduledAt: t - 40_000, handedAt: t }, t + 100)).toBe(100);
    expect(shouldShed({ scheduledAt: t - 40_000, handedAt: t }, t + 100)).toBe(false);
    expect(shouldShed({ scheduledAt: t, handedAt: t }, t + SHED_AFTER_MS)).toBe(false);
    expect(shouldShed({ scheduledAt: t, handedAt: t }, t + SHED_AFTER_MS + 1)).toBe(true);
    expect(shouldShed({ scheduledAt: t, handedAt: t, forced: true }, t + 60_000)).toBe(false);
  });

  it("counts skips per minute apart from starts, and any skip is a problem in words", () => {
    const w = new StartWindows(0);
    for (let i = 0; i < 30; i++) w.add(i * 1000, 300, false);
    w.skipped(31_000, 12);
    expect(w.lastComplete(61_000)).toEqual({ from: 0, probes: 30, late: 0, maxLateMs: 300, shed: 12 });
    expect(startsProblem("state:casper:mainnet", w.lastComplete(61_000))).toBe(
      "probes for state:casper:mainnet skipped: 12 of 42 scheduled in the last minute could not start within 5 s (the checker is past its capacity)",
    );
    // Waits for the engine counted where results arrive, beyond the prober's hand-off.
    const late = { from: 0, probes: 100, late: 30, maxLateMs: 2400 };
    expect(startsProblem("state:x", late)).toBe(
      "probes for state:x starting late: 30 % of those in the last minute waited more than 1 s for the engine to start them (the longest 2.4 s)",
    );
    expect(startsProblem("state:x", { ...late, late: 1 })).toBeUndefined();
    expect(startsProblem("state:x", { ...late, late: 2 })).toMatch(/starting late: 2 %/);
    expect(startsProblem("state:x", undefined)).toBeUndefined();
  });
});
