import { describe, expect, it } from "vitest";
import { reservedFor, startNow } from "../../src/core/start-order.ts";

const w = (id: string, dueAt: number, suspect = false) => ({ id, dueAt, suspect });
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe("which waiting probes start", () => {
  it("others first by due time, then suspects, up to the free connections", () => {
    const waiting = [w("s1", 0, true), w("b", 20), w("a", 10), w("s2", 5, true)];
    expect(ids(startNow(waiting, { total: 0, suspects: 0 }, 6))).toEqual(["a", "b", "s1", "s2"]);
    expect(ids(startNow(waiting, { total: 3, suspects: 0 }, 6))).toEqual(["a", "b", "s1"]);
    expect(startNow(waiting, { total: 6, suspects: 0 }, 6)).toEqual([]);
  });

  it("suspects never take the reserved connections", () => {
    expect(reservedFor(6)).toBe(2);
    expect(reservedFor(3)).toBe(1);
    expect(reservedFor(1)).toBe(0);
    const suspects = Array.from({ length: 10 }, (_, i) => w(`s${i}`, i, true));
    expect(startNow(suspects, { total: 0, suspects: 0 }, 6)).toHaveLength(4);
    expect(startNow(suspects, { total: 3, suspects: 3 }, 6)).toHaveLength(1);
    expect(startNow(suspects, { total: 4, suspects: 4 }, 6)).toEqual([]);
    // The reserved two still take the healthy ones at once.
    expect(ids(startNow([...suspects, w("h", 99)], { total: 4, suspects: 4 }, 6))).toEqual(["h"]);
  });

  it("always makes progress when nothing is running, whatever the limit", () => {
    for (const limit of [1, 2, 3, 6]) {
      expect(startNow([w("s", 0, true)], { total: 0, suspects: 0 }, limit)).toHaveLength(1);
    }
  });
});
