import { env, evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { SNAPSHOT_KEY, type Snapshot } from "../../src/worker/board/snapshot.ts";
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

  it("a prober keeps its slots and counters across eviction", async () => {
    const stub = prober("weur");
    const before = await stub.stats();
    await evictDurableObject(stub);
    const after = await stub.stats();
    expect(after.probes).toBe(before.probes);
    expect(after.rowsWritten).toBe(before.rowsWritten);
    expect(after.region).toBe("weur");
  });
});
