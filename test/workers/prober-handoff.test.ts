import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { slotAt, slotClock } from "../../src/core/schedule.ts";
import { SHED_AFTER_MS } from "../../src/core/shed.ts";
import { StartWindows } from "../../src/core/start-window.ts";
import { loadConfig } from "../../src/worker/config.ts";
import { DISPATCH_MAX_TIMEOUT_MS } from "../../src/worker/prober/prober-do.ts";
import { api, board, prober, sleep, stateShard } from "./helpers.ts";

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

  it("past its ceiling a probe that could not start within a window is skipped, counted and said; a forced one never", async () => {
    const name = "state:casper:casper-handoff";
    const shard = stateShard(name);
    // The state object's minute in progress began 59 s ago: the skip lands in it, and it ends in 1 s.
    const minuteFrom = Date.now() - 59_000;
    await runInDurableObject(shard, (instance) => {
      (instance as unknown as { startWindows: StartWindows }).startWindows = new StartWindows(minuteFrom);
    });
    const before = await shard.stats();
    // Handed over a window and a second ago and never started: the runtime was that far behind.
    const stale = Date.now() - SHED_AFTER_MS - 1_000;
    const job = await env.RUNNER.run({
      region: "wnam",
      orders: [
        { monitorId: "handoff-short", scheduledAt: stale, handedAt: stale },
        { monitorId: "handoff-short", scheduledAt: stale, handedAt: stale, forced: true },
      ],
    });
    expect(job.probed).toBe(1); // the forced one
    const after = await shard.stats();
    expect(after.starts.shed - before.starts.shed).toBe(1);
    expect(after.records - before.records).toBe(1);

    expect((await api<{ shedProbes: number }>("/api/v1/usage")).body.shedProbes).toBeGreaterThanOrEqual(1);
    // What the watchdog reads of it (its "monitoring degraded" is in maintenance-watchdog.test.ts).
    await sleep(Math.max(0, minuteFrom + 60_000 + 50 - Date.now()));
    expect((await shard.ensureArmed()).lastMinute).toMatchObject({ probes: 0, shed: 1 });
  });

  it("a monitor's first results send its own latency chart, leaving the network's others as the board has them", async () => {
    const name = "state:casper:casper-handoff";
    const sentinel = { wnam: [{ at: 0, ms: 12_345 }] };
    // The board holds a chart for handoff-long that no state object could compute (its 0 ms hour).
    await board().update({
      shard: name,
      at: Date.now(),
      full: false,
      monitors: [],
      transitions: [],
      incidents: [],
      latency: { "handoff-long": sentinel },
    });
    // handoff-short has results but, as far as its state object knows, no chart at the board yet;
    // the periodic full set is not due.
    await runInDurableObject(stateShard(name), async (instance) => {
      const state = instance as unknown as {
        latencySent: Set<string>;
        reporter: { lastReportAt: number; lastLatencyAt: number };
        report(config: unknown, now: number): Promise<void>;
      };
      state.latencySent.add("handoff-long");
      state.latencySent.delete("handoff-short");
      state.reporter.lastReportAt = Date.now();
      state.reporter.lastLatencyAt = Date.now();
      await state.report(loadConfig(env), Date.now());
    });
    const { latency } = await board().extras();
    expect(latency["handoff-long"]).toEqual(sentinel); // not recomputed, not replaced
    expect(Object.keys(latency["handoff-short"] ?? {})).toEqual(["wnam"]);
  });
});
