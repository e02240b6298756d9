import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { slotAt, slotClock, slotStart } from "../../src/core/schedule.ts";
import { monitorsForProber } from "../../src/core/topology.ts";
import { SNAPSHOT_KEY, type Snapshot } from "../../src/worker/board/snapshot.ts";
import { loadConfig } from "../../src/worker/config.ts";
import { api, board, control, probeNow, prober, stateShard } from "./helpers.ts";

/**
 * Durable Objects are evicted whenever the runtime likes; what they know must survive it.
 * This file uses only e2e-e / e-rpc (its own node) so it can run beside the pipeline tests.
 */
describe("state survives eviction", () => {
  afterAll(async () => {
    await control.heal("e2e-e");
  });

  it("a state object rebuilds verdicts and thresholds from its checkpoint and batches", async () => {
    await control.heal("e2e-e");
    await probeNow("weur", ["e-rpc"]);
    await probeNow("weur", ["e-rpc"]);
    const before = await stateShard().stats();
    await control.setFault("e2e-e", { fault: "refusing" });
    await probeNow("weur", ["e-rpc"]); // first failure: still up, one more needed
    await evictDurableObject(stateShard());
    await probeNow("weur", ["e-rpc"]); // second failure after the eviction: now down
    const h = await stateShard().history({ monitorId: "e-rpc", from: 0, to: Date.now(), limit: 100 });
    expect(h.slice(-2).map((p) => p.state)).toEqual(["down", "down"]);
    await runDurableObjectAlarm(board());
    const { body } = await api<{ state: string }>("/api/v1/monitors/e-rpc");
    expect(body.state).toBe("down");
    const after = await stateShard().stats();
    expect(after.batches).toBeGreaterThanOrEqual(before.batches + 2);
  });

  it("a board evicted before its flush alarm still writes the snapshot", async () => {
    await control.heal("e2e-e");
    await probeNow("weur", ["e-rpc"]);
    await probeNow("weur", ["e-rpc"]); // recovered: a state change reported to the board
    await evictDurableObject(board());
    expect(await runDurableObjectAlarm(board())).toBe(true);
    const snap = await env.SNAPSHOT.get<Snapshot>(SNAPSHOT_KEY, "json");
    expect(snap?.monitors.find((m) => m.id === "e-rpc")?.state).toBe("up");
    expect((await board().stats()).kvWrites).toBeGreaterThan(0);
  });

  it("a board evicted between flushes keeps the counters of every report it took", async () => {
    // A report that changes nothing visible: its flush would be a minute away.
    const quiet = {
      shard: "eviction-test",
      at: Date.now(),
      full: false,
      monitors: [],
      transitions: [],
      incidents: [],
    };
    await board().update(quiet);
    await board().update(quiet);
    const before = await board().stats();
    await evictDurableObject(board());
    const after = await board().stats();
    expect(after.reports).toBe(before.reports);
    expect(after.rowsWritten).toBe(before.rowsWritten);
    expect(after.active.spans).toBe(before.active.spans);
  });

  it("a prober keeps who it is across eviction, and its counters as of its last save", async () => {
    const stub = prober("weur");
    await stub.tick({ force: true, only: ["e-rpc"] });
    const saved = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec<{ v: string }>("SELECT v FROM prober WHERE k = 'slots'").toArray(),
    );
    expect(saved).toHaveLength(1); // written at the latest by the first run (then once a minute)
    const counters = JSON.parse(saved[0]?.v ?? "{}").counters;
    await evictDurableObject(stub);
    const after = await stub.stats();
    expect(after.region).toBe("weur");
    expect(after.probes).toBe(counters.probes);
  });

  it("after eviction a prober probes no monitor twice in a slot: the slot in progress counts as done", async () => {
    const stub = prober("weur");
    const monitors = monitorsForProber(loadConfig(env), "weur", 0);
    // Away from every monitor's next slot start (the prober also launches a little ahead of it): a
    // slot beginning before the alarm runs would make that monitor rightly due again.
    const clocks = monitors.map((m) => slotClock(m.id, m.intervalSec));
    const nextStart = (t: number) => Math.min(...clocks.map((c) => slotStart(c, slotAt(c, t) + 1)));
    const wait = nextStart(Date.now()) - Date.now();
    if (wait < 2_000) await new Promise((r) => setTimeout(r, wait + 50));
    const now = Date.now();
    // The slots row as a restart may find it: saved before this slot's probes were handed over
    // (the prober writes it at most once a minute), so by the row alone every monitor looks due.
    const slots = Object.fromEntries(
      monitors.map((m) => [m.id, slotAt(slotClock(m.id, m.intervalSec), now) - 1]),
    );
    const row = { slots, at: now - 30_000, counters: { probes: 7, ticks: 3 } };
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec(
        "INSERT INTO prober (k, v) VALUES ('slots', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
        JSON.stringify(row),
      );
    });
    await evictDurableObject(stub);
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await stub.stats();
    expect(after.ticks).toBe(4);
    expect(after.probes).toBe(7); // nothing handed over again in the slot it may already have had
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAlarm());
  });
});
