import { describe, expect, it } from "vitest";
import { api, control, probeNow, stateShard } from "./helpers.ts";

interface Usage {
  probes: number;
  duplicateSlots: number;
  queueWait: { p50Ms: number | null; p99Ms: number | null; maxMs: number };
  operations: {
    probes: number;
    doRequests: {
      proberTicks: number;
      proberForcedRuns: number;
      stateBatches: number;
      boardReports: number;
      boardWrites: number;
      total: number;
    };
    rowsWritten: { probers: number; state: number; board: number; total: number };
    kvWrites: number;
    subrequests: number;
  };
  perProbe: { doRequests: number | null; rowsWritten: number | null; subrequests: number | null };
  byProber: { name: string; ticks: number; forcedRuns: number; probes: number; rowsWritten: number }[];
  byStateShard: {
    name: string;
    batches: number;
    records: number;
    rowsWritten: number;
    scheduledStarts: number;
    lateStarts: number;
  }[];
  projectedMonthlyCost: {
    pricesAsOf: string;
    thisDeployment: { probesPerMonth: number; totalUsd: number; withinIncluded: boolean };
    monitors1000x3x30s: {
      probesPerMonth: number;
      totalUsd: number;
      lines: { item: string; quantity: number }[];
    };
    monitors10000x3x30s: { probesPerMonth: number; totalUsd: number };
  };
}

const PROBER = "prober:me:0";
const SHARD = "state:casper:casper-usage";

async function usage(): Promise<Usage> {
  const res = await api<Usage>("/api/v1/usage");
  expect(res.status).toBe(200);
  return res.body;
}
const proberOf = (u: Usage) => u.byProber.find((p) => p.name === PROBER);
const shardOf = (u: Usage) => u.byStateShard.find((s) => s.name === SHARD);
const restRequests = async (id: string) => (await control.stats(id)).requests.rest;

describe("GET /api/v1/usage", () => {
  it("counts the probes, object requests, rows and subrequests this test caused", async () => {
    // Region `me` and network casper-usage are this file's alone (test-config.ts): two monitors,
    // usage-a-rest and usage-b-rest. A first tick settles their state (first verdicts, board report).
    await probeNow("me");
    const u0 = await usage();
    const simA0 = await restRequests("usage-a");
    const simB0 = await restRequests("usage-b");

    const TICKS = 4;
    for (let i = 0; i < TICKS; i++) await probeNow("me");
    const u1 = await usage();

    // What the simulator served: one /status request per monitor per tick.
    expect((await restRequests("usage-a")) - simA0).toBe(TICKS);
    expect((await restRequests("usage-b")) - simB0).toBe(TICKS);

    const p0 = proberOf(u0);
    const p1 = proberOf(u1);
    const s0 = shardOf(u0);
    const s1 = shardOf(u1);
    if (!p0 || !p1 || !s0 || !s1) throw new Error("usage lists no prober me:0 or no casper-usage shard");
    // Each "probe now" is one object request to the prober and two probes (two fetches, made by the
    // runner). It takes no slot, so it writes no slot row; a scheduled tick in between may write the
    // prober's one row a minute.
    expect(p1.forcedRuns - p0.forcedRuns).toBe(TICKS);
    expect(p1.probes - p0.probes).toBeGreaterThanOrEqual(2 * TICKS);
    expect(p1.rowsWritten - p0.rowsWritten).toBeLessThanOrEqual(1);
    // ...and one batch to the network's state object: one RPC, two records, one row.
    expect(s1.batches - s0.batches).toBe(TICKS);
    expect(s1.records - s0.records).toBe(2 * TICKS);
    expect(s1.rowsWritten - s0.rowsWritten).toBe(TICKS);

    // The totals add up from their parts, and include at least what this test did.
    for (const u of [u0, u1]) {
      const d = u.operations.doRequests;
      expect(d.total).toBe(
        d.proberTicks + d.proberForcedRuns + d.stateBatches + d.boardReports + d.boardWrites,
      );
      const r = u.operations.rowsWritten;
      expect(r.total).toBe(r.probers + r.state + r.board);
      expect(u.operations.subrequests).toBe(u.operations.probes + u.operations.kvWrites);
      expect(u.operations.probes).toBe(u.byProber.reduce((n, p) => n + p.probes, 0));
      expect(u.perProbe.rowsWritten).toBeCloseTo(r.total / u.operations.probes, 9);
    }
    expect(u1.operations.probes - u0.operations.probes).toBeGreaterThanOrEqual(2 * TICKS);
    expect(u1.operations.doRequests.total - u0.operations.doRequests.total).toBeGreaterThanOrEqual(2 * TICKS);
    expect(u1.operations.subrequests - u0.operations.subrequests).toBeGreaterThanOrEqual(2 * TICKS);

    // The projection: 1,000 monitors × 3 regions × 30 s is 259.2 M probes a month.
    const cost = u1.projectedMonthlyCost;
    expect(cost.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(cost.monitors1000x3x30s.probesPerMonth).toBe(259_200_000);
    expect(cost.monitors10000x3x30s.probesPerMonth).toBe(2_592_000_000);
    expect(cost.monitors1000x3x30s.totalUsd).toBeGreaterThanOrEqual(5);
    expect(cost.monitors10000x3x30s.totalUsd).toBeGreaterThan(cost.monitors1000x3x30s.totalUsd);
    expect(cost.thisDeployment.probesPerMonth).toBeGreaterThan(0);
    // Forced probes ("probe now", confirmations) may share a slot; they are not duplicates.
    expect(u1.duplicateSlots - u0.duplicateSlots).toBe(0);
    expect(u1.queueWait.maxMs).toBeGreaterThanOrEqual(0);
  });

  it("counts a scheduled probe repeated in a slot its vantage already probed (the engine keeps it at 0)", async () => {
    const before = (await usage()).duplicateSlots;
    const now = Date.now();
    const record = (checkedAt: number, forced?: boolean) => ({
      monitorId: "usage-b-rest",
      vantage: "me",
      scheduledAt: now - 5_000,
      checkedAt,
      result: { ok: true, latencyMs: 5 },
      ...(forced ? { forced } : {}),
    });
    const ingest = (r: ReturnType<typeof record>) =>
      stateShard(SHARD).ingest(SHARD, { vantage: "me", records: [r] });
    await ingest(record(now));
    await ingest(record(now + 1, true)); // a confirmation: allowed
    expect((await usage()).duplicateSlots - before).toBe(0);
    await ingest(record(now + 2)); // a second scheduled probe in the same slot
    expect((await usage()).duplicateSlots - before).toBe(1);
  });
});
