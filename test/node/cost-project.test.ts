import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DO_BILLED_GB, PRICES, PRICES_AS_OF } from "../../src/core/cost/prices.ts";
import { chooseProfile, MONTH_SEC, probesPerMonth, projectMonthlyCost } from "../../src/core/cost/project.ts";

const zero = {
  doRequestsPerProbe: 0,
  rowsWrittenPerProbe: 0,
  rowsReadPerProbe: 0,
  doActiveMsPerProbe: 0,
  workerCpuMsPerProbe: 0,
  kvWritesPerMinute: 0,
  workerRequestsPerMinute: 0,
  workerCpuMsPerRequest: 0,
  kvReadsPerMinute: 0,
  storageGb: 0,
};

describe("monthly cost projection", () => {
  it("counts probes over a 30-day month", () => {
    expect(probesPerMonth({ monitors: 1000, regions: 3, intervalSec: 30 })).toBe(259_200_000);
    expect(() => probesPerMonth({ monitors: 1, regions: 1, intervalSec: 0 })).toThrow(RangeError);
  });

  it("is the plan's base price when nothing is used", () => {
    const p = projectMonthlyCost({ monitors: 0, regions: 3, intervalSec: 30 }, zero);
    expect(p.totalUsd).toBe(5);
    expect(p.withinIncluded).toBe(true);
    expect(p.pricesAsOf).toBe(PRICES_AS_OF);
  });

  it("bills only what exceeds the included amount, at the unit price", () => {
    // 1000 × 3 × 30 s = 259.2 M probes; 0.1 rows each = 25.92 M rows, inside the 50 M included.
    const inside = projectMonthlyCost(
      { monitors: 1000, regions: 3, intervalSec: 30 },
      { ...zero, rowsWrittenPerProbe: 0.1 },
    );
    expect(inside.lines.find((l) => l.item === "doRowsWritten")?.usd).toBe(0);
    // 1 row per probe: 259.2 M − 50 M = 209.2 M billable at $1/M.
    const one = projectMonthlyCost(
      { monitors: 1000, regions: 3, intervalSec: 30 },
      { ...zero, rowsWrittenPerProbe: 1 },
    );
    const rows = one.lines.find((l) => l.item === "doRowsWritten");
    expect(rows?.billable).toBeCloseTo(209_200_000, 0);
    expect(rows?.usd).toBeCloseTo(209.2, 6);
    expect(one.totalUsd).toBeCloseTo(214.2, 6);
    expect(one.withinIncluded).toBe(false);
  });

  it("bills Durable Object duration at 128 MB per active second", () => {
    const p = projectMonthlyCost(
      { monitors: 200, regions: 1, intervalSec: 1 },
      { ...zero, doActiveMsPerProbe: 10 },
    );
    const expected = ((200 * MONTH_SEC * 10) / 1000) * DO_BILLED_GB;
    const duration = p.lines.find((l) => l.item === "doDurationGbSec");
    expect(duration?.quantity).toBeCloseTo(expected, 6);
    expect(duration?.usd).toBeCloseTo(((expected - PRICES.doDurationGbSec.included) / 1e6) * 12.5, 6);
  });

  it("bills the probe runner's CPU as Workers CPU time, with the cron's and the API's", () => {
    // 259.2 M probes × 0.5 ms + 10 invocations a minute × 43,200 minutes × 2 ms = 130.464 M CPU ms;
    // 30 M are included, the rest at $0.02 per million.
    const p = projectMonthlyCost(
      { monitors: 1000, regions: 3, intervalSec: 30 },
      { ...zero, workerCpuMsPerProbe: 0.5, workerRequestsPerMinute: 10, workerCpuMsPerRequest: 2 },
    );
    const cpu = p.lines.find((l) => l.item === "workerCpuMs");
    expect(cpu?.quantity).toBeCloseTo(130_464_000, 0);
    expect(cpu?.usd).toBeCloseTo(((130_464_000 - 30_000_000) / 1e6) * 0.02, 9);
  });

  it("grows linearly with the fleet above the included usage", () => {
    const small = projectMonthlyCost({ monitors: 10_000, regions: 3, intervalSec: 30 });
    const large = projectMonthlyCost({ monitors: 20_000, regions: 3, intervalSec: 30 });
    const probeLines = ["doRequests", "doRowsWritten"] as const;
    for (const item of probeLines) {
      const a = small.lines.find((l) => l.item === item);
      const b = large.lines.find((l) => l.item === item);
      expect(b?.quantity).toBeCloseTo((a?.quantity ?? 0) * 2, 3);
    }
    expect(large.totalUsd).toBeGreaterThan(small.totalUsd);
  });
});

describe("the profile a projection uses", () => {
  const counts = (probes: number, elapsedSec: number) => ({
    probes,
    doRequests: probes * 0.8,
    rowsWritten: probes * 4,
    kvWrites: 10,
    elapsedSec,
  });

  it("a short demo run is start-up, not a fleet: the reference profile, saying why", () => {
    const chosen = chooseProfile(counts(88, 25));
    expect(chosen.source).toBe("default");
    expect(chosen.profile).toEqual({});
    expect(chosen.why).toMatch(/88 probes over 25 s are mostly start-up/);
  });

  it("a representative run projects from its own figures", () => {
    const chosen = chooseProfile(counts(6_000, 600));
    expect(chosen.source).toBe("measured");
    expect(chosen.profile).toMatchObject({ doRequestsPerProbe: 0.8, rowsWrittenPerProbe: 4 });
  });

  it("the README's projected bill is the reference profile's projection", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
    const usd = projectMonthlyCost({ monitors: 1000, regions: 3, intervalSec: 30 }).totalUsd.toFixed(2);
    expect(readme).toContain(`| projected bill, 1,000 monitors × 3 regions × 30 s | $${usd} / month`);
  });
});
