import { describe, expect, it } from "vitest";
import { previousMonth } from "../../src/core/sla/monthly-alert.ts";

describe("the monthly report's month", () => {
  it("is the calendar month (UTC) before now, across a year boundary", () => {
    expect(previousMonth(Date.UTC(2026, 10, 1, 0, 5))).toBe("2026-10");
    expect(previousMonth(Date.UTC(2027, 0, 1, 0, 0))).toBe("2026-12");
    expect(previousMonth(Date.UTC(2026, 2, 31, 23, 59))).toBe("2026-02");
  });
});
