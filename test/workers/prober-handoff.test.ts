import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { slotAt, slotClock } from "../../src/core/schedule.ts";
import { DISPATCH_MAX_TIMEOUT_MS } from "../../src/worker/prober/prober-do.ts";
import { prober, stateShard } from "./helpers.ts";

/**
 * A scheduled tick hands its probes to a runner and returns; a probe whose timeout outlasts what a
 * dispatched job may run after its call returns runs while the prober waits for it instead.
 * Region wnam and network casper-handoff are this file's alone (test-config.ts).
 */
describe("the prober's hand-off", () => {
  it("dispatches probes within the budget and holds the one whose timeout is longer", async () => {
    const stub = prober("wnam");
    await stub.identify("wnam", 0);
    const now = Date.now();
    // Both probed in the slot before this one, so both are due at this alarm.
    await runInDurableObject(stub, (instance) => {
      const slots = (instance as unknown as { lastSlots: Record<string, number> }).lastSlots;
      for (const id of ["handoff-long", "handoff-short"]) slots[id] = slotAt(slotClock(id, 600), now) - 1;
    });
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const stats = await stub.stats();
    expect(stats.probes).toBe(2);
    expect(stats.heldProbes).toBe(1);
    expect(DISPATCH_MAX_TIMEOUT_MS).toBeLessThan(25_000);
    // Both results arrive, each from its own path.
    const shard = stateShard("state:casper:casper-handoff");
    for (let i = 0; i < 100 && (await shard.stats()).records < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    const history = await Promise.all(
      ["handoff-long", "handoff-short"].map((monitorId) =>
        shard.history({ monitorId, from: now - 700_000, to: Date.now() + 1_000, limit: 10 }),
      ),
    );
    expect(history.map((h) => h.length)).toEqual([1, 1]);
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAlarm());
  });
});
