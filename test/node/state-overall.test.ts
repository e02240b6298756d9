import { describe, expect, it } from "vitest";
import { combineVantages, defaultQuorum } from "../../src/core/state/overall.ts";
import type { VantageState } from "../../src/core/state/vantage.ts";
import type { State } from "../../src/core/verdict.ts";

const vs = (state: State, message = `${state} reason`): VantageState => ({
  state,
  since: 0,
  checkedAt: 0,
  instant: state,
  reasons: state === "up" ? [] : [{ code: state, severity: "warn", message }],
});

describe("combining vantages", () => {
  it("default quorum is a strict majority", () => {
    expect([1, 2, 3, 4, 5].map(defaultQuorum)).toEqual([1, 2, 2, 3, 3]);
  });

  it("down from fewer vantages than the quorum is not down, and says so", () => {
    const v = combineVantages({ weur: vs("down", "connection refused"), enam: vs("up") }, 2);
    expect(v.state).toBe("up");
    expect(v.reasons.map((r) => r.message)).toEqual(["down from weur only (1 of 2 vantages; 2 needed)"]);
  });

  it("down when the quorum agrees, with the down vantages' reasons", () => {
    const v = combineVantages(
      { weur: vs("down", "refused"), enam: vs("down", "refused"), apac: vs("up") },
      2,
    );
    expect(v).toEqual({ state: "down", reasons: [{ code: "down", severity: "warn", message: "refused" }] });
  });

  it("the worst of the non-down vantages wins otherwise", () => {
    expect(combineVantages({ weur: vs("degraded", "stalled"), enam: vs("up") }, 2).state).toBe("degraded");
  });

  it("unknown vantages are ignored; all unknown is unknown", () => {
    expect(combineVantages({ weur: vs("unknown"), enam: vs("up") }, 2).state).toBe("up");
    expect(combineVantages({ weur: vs("unknown") }, 1).state).toBe("unknown");
    expect(combineVantages({}, 1)).toEqual({
      state: "unknown",
      reasons: [{ code: "no_data", severity: "info", message: "no results yet" }],
    });
  });

  it("an unconfirmed down with nothing else known is unknown, not down", () => {
    expect(combineVantages({ weur: vs("down"), enam: vs("unknown") }, 2).state).toBe("unknown");
  });

  it("one reason per kind, worded by the freshest vantage", () => {
    const at = (state: State, message: string, checkedAt: number): VantageState => ({
      ...vs(state, message),
      checkedAt,
    });
    const v = combineVantages(
      {
        weur: at("degraded", "last block is 621 s old", 1),
        enam: at("degraded", "last block is 631 s old", 2),
      },
      2,
    );
    expect(v.reasons.map((r) => r.message)).toEqual(["last block is 631 s old"]);
  });

  it("maintenance when every known vantage says so", () => {
    expect(combineVantages({ weur: vs("maintenance"), enam: vs("unknown") }, 2).state).toBe("maintenance");
  });
});
