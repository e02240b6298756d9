import { describe, expect, it } from "vitest";
import {
  CLOSE_GRACE_MS,
  FIVE_MIN,
  mergeBuckets,
  RollupAccumulator,
  rollupKey,
} from "../../src/core/sla/rollup.ts";

const T0 = Date.parse("2026-03-01T00:00:00Z");
const MIN = 60_000;

describe("rollup accumulator", () => {
  it("splits state time at 5-minute boundaries and closes buckets after the grace", () => {
    const acc = new RollupAccumulator();
    const k = rollupKey("m", "weur");
    acc.observe(k, "up", T0 + 2 * MIN); // up from 00:02
    acc.probe(k, T0 + 2 * MIN, 120);
    acc.observe(k, "down", T0 + 7 * MIN); // down from 00:07
    acc.probe(k, T0 + 7 * MIN, undefined);
    // At 00:12 + grace, buckets 00:00 and 00:05 are closed; 00:10 stays open.
    const closed = acc.takeClosed(T0 + 12 * MIN + CLOSE_GRACE_MS);
    expect(closed.map((b) => b.start)).toEqual([T0, T0 + FIVE_MIN]);
    // 00:00 bucket: up 3 min (00:02–00:05), one probe with a latency.
    expect(closed[0]?.data[k]?.ms).toEqual([3 * MIN, 0, 0, 0, 0]);
    expect(closed[0]?.data[k]?.n).toBe(1);
    expect(closed[0]?.data[k]?.l.n).toBe(1);
    // 00:05 bucket: up 2 min, down 3 min; the failed probe counted, no latency.
    expect(closed[1]?.data[k]?.ms).toEqual([2 * MIN, 0, 3 * MIN, 0, 0]);
    expect(closed[1]?.data[k]?.n).toBe(1);
    expect(closed[1]?.data[k]?.l.n).toBe(0);
    // The open 00:10 bucket holds the down time counted so far (00:10 → 00:14:30).
    const open = acc.openBetween(T0, T0 + 3_600_000);
    expect(open.map((b) => b.start)).toEqual([T0 + 2 * FIVE_MIN]);
    expect(open[0]?.data[k]?.ms[2]).toBe(4.5 * MIN);
  });

  it("late results count in the first open bucket; merged buckets add up", () => {
    const acc = new RollupAccumulator();
    const k = rollupKey("m", "*");
    acc.observe(k, "up", T0);
    acc.takeClosed(T0 + 10 * MIN + CLOSE_GRACE_MS); // closes 00:00 and 00:05
    acc.probe(k, T0 + MIN, 50); // arrives late
    const rest = acc.takeClosed(T0 + 60 * MIN + CLOSE_GRACE_MS);
    expect(rest[0]?.start).toBe(T0 + 2 * FIVE_MIN);
    expect(rest[0]?.data[k]?.n).toBe(1);
    const hour = mergeBuckets(rest.map((b) => b.data));
    // 00:10–01:00 up: 50 min.
    expect(hour[k]?.ms[0]).toBe(50 * MIN);
  });

  it("survives a JSON round trip (it lives in the checkpoint)", () => {
    const acc = new RollupAccumulator();
    acc.observe(rollupKey("m", "*"), "degraded", T0);
    const again = new RollupAccumulator(JSON.parse(JSON.stringify(acc.state)));
    const closed = again.takeClosed(T0 + FIVE_MIN + CLOSE_GRACE_MS);
    expect(closed[0]?.data[rollupKey("m", "*")]?.ms).toEqual([0, FIVE_MIN, 0, 0, 0]);
  });
});
