import { describe, expect, it } from "vitest";
import { applyVerdict, type VantageState } from "../../src/core/state/vantage.ts";
import type { State, Verdict } from "../../src/core/verdict.ts";

const v = (state: State, message: string = state): Verdict => ({
  state,
  reasons: state === "up" ? [] : [{ code: state, severity: "warn", message }],
});

/** Feeds instant states one per second and returns the effective state after each. */
function run(states: State[], th = { failure: 2, recovery: 2 }, start?: VantageState): State[] {
  let s = start;
  return states.map((st, i) => {
    s = applyVerdict(s, v(st), th, 1000 * (i + 1));
    return s.state;
  });
}

describe("vantage thresholds", () => {
  it("starts unknown and believes the first good result at once", () => {
    expect(run(["up"])).toEqual(["up"]);
  });

  it("needs failureThreshold consecutive failures to go down", () => {
    expect(run(["up", "down", "down"])).toEqual(["up", "up", "down"]);
    expect(run(["up", "down", "down", "down"], { failure: 3, recovery: 1 })).toEqual([
      "up",
      "up",
      "up",
      "down",
    ]);
  });

  it("a single blip never flips the state", () => {
    expect(run(["up", "down", "up", "down", "up"])).toEqual(["up", "up", "up", "up", "up"]);
  });

  it("needs recoveryThreshold successes to recover", () => {
    expect(run(["up", "down", "down", "up", "up"])).toEqual(["up", "up", "down", "down", "up"]);
    expect(run(["up", "down", "down", "up", "down", "up", "up"])).toEqual([
      "up",
      "up",
      "down",
      "down",
      "down",
      "down",
      "up",
    ]);
  });

  it("a mixed run of failures lands on the least bad of them", () => {
    expect(run(["up", "down", "degraded"])).toEqual(["up", "up", "degraded"]);
    // and each further worsening is confirmed again
    expect(run(["up", "degraded", "down", "down", "down"])).toEqual([
      "up",
      "up",
      "degraded",
      "degraded",
      "down",
    ]);
  });

  it("a mixed recovery lands on the worst of it", () => {
    expect(run(["up", "down", "down", "degraded", "up"])).toEqual(["up", "up", "down", "down", "degraded"]);
  });

  it("a bad start is confirmed before it counts", () => {
    expect(run(["down", "down"])).toEqual(["unknown", "down"]);
    expect(run(["degraded", "degraded"])).toEqual(["unknown", "degraded"]);
  });

  it("unknown (checker errors) is confirmed like a failure and never becomes down", () => {
    expect(run(["up", "unknown", "unknown", "unknown"])).toEqual(["up", "up", "unknown", "unknown"]);
    expect(run(["up", "unknown", "up"])).toEqual(["up", "up", "up"]);
  });

  it("maintenance applies at once and is left like unknown", () => {
    expect(run(["up", "maintenance", "up"])).toEqual(["up", "maintenance", "up"]);
    expect(run(["up", "maintenance", "down", "down"])).toEqual(["up", "maintenance", "maintenance", "down"]);
  });

  it("since moves only on transitions; reasons follow the effective state", () => {
    let s = applyVerdict(undefined, v("up"), { failure: 2, recovery: 2 }, 1000);
    s = applyVerdict(s, v("degraded", "stalled"), { failure: 2, recovery: 2 }, 2000);
    expect(s.since).toBe(1000);
    expect(s.reasons).toEqual([]);
    s = applyVerdict(s, v("degraded", "stalled more"), { failure: 2, recovery: 2 }, 3000);
    expect(s).toMatchObject({ state: "degraded", since: 3000, checkedAt: 3000 });
    expect(s.reasons.map((r) => r.message)).toEqual(["stalled more"]);
    s = applyVerdict(s, v("degraded", "stalled for longer"), { failure: 2, recovery: 2 }, 4000);
    expect(s.since).toBe(3000);
    expect(s.reasons.map((r) => r.message)).toEqual(["stalled for longer"]);
  });

  it("every sequence of instants obeys the thresholds (exhaustive over length 6)", () => {
    const alphabet: State[] = ["up", "degraded", "down", "unknown"];
    const th = { failure: 2, recovery: 2 };
    const total = alphabet.length ** 6;
    for (let n = 0; n < total; n++) {
      const seq: State[] = [];
      for (let k = n, i = 0; i < 6; i++, k = Math.floor(k / alphabet.length))
        seq.push(alphabet[k % alphabet.length] as State);
      const out = run(seq, th);
      const rank = (x: State | undefined) => (x === "up" ? 0 : x === "degraded" ? 1 : x === "down" ? 2 : -1);
      for (let i = 0; i < seq.length; i++) {
        const prev = i === 0 ? "unknown" : (out[i - 1] as State);
        const now = out[i] as State;
        if (now === prev) continue;
        const why = `seq ${seq.join(",")} at ${i}`;
        const lastTwo = [seq[i - 1], seq[i]];
        if (now === "up" && prev === "unknown") {
          expect(seq[i], why).toBe("up"); // the first good result is believed at once
        } else if (rank(prev) >= 0 && rank(now) >= 0 && rank(now) < rank(prev)) {
          // recovery: the last two instants were both better than the old state
          for (const x of lastTwo) expect(rank(x), why).toBeGreaterThanOrEqual(0);
          for (const x of lastTwo) expect(rank(x), why).toBeLessThan(rank(prev));
        } else {
          // worsening (or unknown): the last two instants were both not up, and none better than the new state
          for (const x of lastTwo) expect(x, why).not.toBe("up");
          if (rank(now) >= 0) for (const x of lastTwo) expect(rank(x), why).toBeGreaterThanOrEqual(rank(now));
        }
      }
    }
  });
});
