import { describe, expect, it } from "vitest";
import {
  addValue,
  bucketValue,
  emptySketch,
  mergeSketches,
  quantile,
  SKETCH_RELATIVE_ACCURACY,
  sketchDelta,
} from "../../src/core/sketch.ts";

describe("latency sketch", () => {
  it("quantiles are within the relative accuracy of the exact nearest-rank value", () => {
    const s = emptySketch();
    const values: number[] = [];
    for (let i = 1; i <= 1000; i++) {
      const v = (i * 7919) % 3001; // 0..3000 ms, scrambled order
      values.push(v);
      addValue(s, v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1] as number;
      const got = quantile(s, q) as number;
      expect(Math.abs(got - exact) / exact).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-9);
    }
  });

  it("merging equals adding everything to one sketch", () => {
    const a = emptySketch();
    const b = emptySketch();
    const all = emptySketch();
    for (let i = 0; i < 200; i++) {
      const v = 5 + ((i * 37) % 400);
      addValue(i % 3 ? a : b, v);
      addValue(all, v);
    }
    addValue(a, 0);
    addValue(all, 0);
    expect(mergeSketches(a, b)).toEqual(all);
    expect(mergeSketches(b, a)).toEqual(all);
  });

  it("hand-checked small cases", () => {
    const s = emptySketch();
    expect(quantile(s, 0.5)).toBeUndefined();
    for (const v of [0, 100, 100, 100]) addValue(s, v);
    expect(quantile(s, 0.25)).toBe(0); // rank 1 is the zero
    expect(Math.abs((quantile(s, 0.5) as number) - 100)).toBeLessThanOrEqual(2);
    expect(Math.abs((quantile(s, 0.99) as number) - 100)).toBeLessThanOrEqual(2);
    expect(s.n).toBe(4);
    expect(bucketValue(0)).toBeCloseTo(1, 1);
  });
});

describe("sketchDelta", () => {
  it("gives what a growing sketch gained between two readings", () => {
    const s = emptySketch();
    for (const v of [0, 5, 10, 10]) addValue(s, v);
    const before = JSON.parse(JSON.stringify(s));
    for (const v of [0, 1000, 1000, 1000]) addValue(s, v);
    const d = sketchDelta(s, before);
    expect(d.n).toBe(4);
    expect(d.z).toBe(1);
    expect(quantile(d, 0.99)).toBeCloseTo(1000, -2);
    expect(quantile(d, 0.5)).toBeCloseTo(1000, -2); // ranks 2–4 of the four are 1000
    expect(sketchDelta(s, undefined)).toEqual({ ...s, b: s.b });
  });
});
