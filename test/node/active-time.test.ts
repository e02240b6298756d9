import { describe, expect, it } from "vitest";
import { ActiveTime } from "../../src/core/cost/active-time.ts";

describe("active time (what Durable Object duration bills)", () => {
  it("adds separate handler runs", () => {
    const t = new ActiveTime();
    t.enter(1_000);
    t.leave(1_030);
    t.enter(5_000);
    t.leave(5_012);
    expect(t.read()).toEqual({ activeMs: 42, spans: 2 });
  });

  it("counts overlapping handlers once, from the first start to the last end", () => {
    const t = new ActiveTime();
    t.enter(0); // an alarm
    t.enter(10); // a probe-now call while it runs
    t.leave(50); // the alarm ends; the call still runs
    t.leave(80);
    expect(t.read()).toEqual({ activeMs: 80, spans: 1 });
  });

  it("counts a stretch once it has closed", () => {
    const t = new ActiveTime({ activeMs: 100, spans: 3 });
    t.enter(1_000);
    expect(t.read()).toEqual({ activeMs: 100, spans: 3 });
    t.leave(1_300);
    expect(t.read()).toEqual({ activeMs: 400, spans: 4 });
  });

  it("an unmatched leave changes nothing", () => {
    const t = new ActiveTime();
    t.leave(10);
    expect(t.read()).toEqual({ activeMs: 0, spans: 0 });
  });

  it("around() times the work and passes its result and its failure through", async () => {
    let now = 0;
    const clock = () => now;
    const t = new ActiveTime();
    const value = await t.around(async () => {
      now += 25;
      return "done";
    }, clock);
    expect(value).toBe("done");
    await expect(
      t.around(async () => {
        now += 5;
        throw new Error("probe failed");
      }, clock),
    ).rejects.toThrow("probe failed");
    expect(t.read()).toEqual({ activeMs: 30, spans: 2 });
  });
});
