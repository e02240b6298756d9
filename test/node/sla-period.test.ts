import { describe, expect, it } from "vitest";
import { monthPeriod, parseBound } from "../../src/core/sla/period.ts";

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe("report periods", () => {
  it("calendar months in a zone, across both DST changes", () => {
    const mar = monthPeriod("2026-03", "Europe/Berlin");
    const oct = monthPeriod("2026-10", "Europe/Berlin");
    expect((mar?.to ?? 0) - (mar?.from ?? 0)).toBe(743 * 3_600_000);
    expect((oct?.to ?? 0) - (oct?.from ?? 0)).toBe(745 * 3_600_000);
    expect(iso(monthPeriod("2026-12", "UTC")?.to)).toBe("2027-01-01T00:00:00.000Z");
    // Kathmandu is UTC+05:45: months still start on a 5-minute boundary (rollup buckets align).
    expect(iso(monthPeriod("2026-02", "Asia/Kathmandu")?.from)).toBe("2026-01-31T18:15:00.000Z");
    expect(monthPeriod("2026-13", "UTC")).toBeUndefined();
  });

  it("bounds: local dates, RFC 3339 and unix ms", () => {
    expect(iso(parseBound("2026-03-29", "Europe/Berlin"))).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(parseBound("2026-03-30", "Europe/Berlin"))).toBe("2026-03-29T22:00:00.000Z");
    expect(iso(parseBound("2026-03-30T00:00:00+02:00", "UTC"))).toBe("2026-03-29T22:00:00.000Z");
    expect(parseBound("1767225600000", "Europe/Berlin")).toBe(1_767_225_600_000);
    expect(parseBound("2026-02-30", "UTC")).toBeUndefined();
    expect(parseBound("yesterday", "UTC")).toBeUndefined();
  });
});
