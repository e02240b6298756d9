import { describe, expect, it } from "vitest";
import { nextHealth, proberSilentAfterMs } from "../../src/core/checker-health.ts";

describe("checker health", () => {
  it("flips to degraded with one alert, stays quiet while problems change, recovers with one alert", () => {
    const a = nextHealth(undefined, [], 0);
    expect(a).toEqual({ health: { state: "ok", since: 0, problems: [] } });
    const b = nextHealth(a.health, ["prober weur/0 has not probed for 4 min"], 1000);
    expect(b.health).toEqual({
      state: "degraded",
      since: 1000,
      problems: ["prober weur/0 has not probed for 4 min"],
    });
    expect(b.alert).toMatchObject({
      id: "checker:degraded:1000",
      kind: "monitoring_degraded",
      severity: "warning",
    });
    const c = nextHealth(b.health, ["prober weur/0 has not probed for 5 min"], 61_000);
    expect(c.alert).toBeUndefined();
    expect(c.health.since).toBe(1000);
    const d = nextHealth(c.health, [], 121_000);
    expect(d.alert).toMatchObject({
      id: "checker:recovered:1000",
      kind: "monitoring_recovered",
      durationSec: 120,
    });
  });
  it("a prober is silent after three of its intervals, and never sooner than three minutes", () => {
    expect(proberSilentAfterMs(10)).toBe(180_000);
    expect(proberSilentAfterMs(300)).toBe(900_000);
  });
});
