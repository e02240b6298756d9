import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultSpec } from "../../src/sim/types.ts";
import { loadConfig } from "../../src/worker/config.ts";
import { api, control, flushBoard, probeNow, prober, runCron, sleep, stateShard } from "./helpers.ts";

interface MonitorOut {
  id: string;
  state: string;
  reasons: string[];
  height?: number;
  latencyMs?: number;
  target?: string;
  vantages: { region: string; state: string; reasons: string[] }[];
}

async function monitorState(id: string) {
  await flushBoard();
  const { status, body } = await api<MonitorOut>(`/api/v1/monitors/${id}`);
  expect(status).toBe(200);
  return body;
}

/** Applies a fault to a node, probes its monitor until thresholds are met, returns the verdict. */
async function withFault(nodeId: string, monitorId: string, spec: FaultSpec, probes = 2) {
  await control.setFault(nodeId, spec);
  for (let i = 0; i < probes; i++) await probeNow("weur", [monitorId]);
  return monitorState(monitorId);
}

async function heal(nodeId: string, monitorId: string) {
  await control.heal(nodeId);
  await probeNow("weur", [monitorId]);
  await probeNow("weur", [monitorId]);
  expect((await monitorState(monitorId)).state).toBe("up");
}

describe("prober → state → board → API over the simulated fleet", () => {
  beforeAll(async () => {
    for (const n of ["e2e-a", "e2e-b", "e2e-c", "e2e-d", "e2e-e"]) await control.heal(n);
    // Everyone healthy twice: results travel as probes finish, so the first round forms the
    // network's reference height and majority version, and the second is judged against them.
    for (let round = 0; round < 2; round++) {
      await probeNow("weur");
      await probeNow("enam");
    }
  });
  afterAll(async () => {
    for (const n of ["e2e-a", "e2e-b", "e2e-c", "e2e-d", "e2e-e"]) await control.heal(n);
  });

  it("healthy nodes are up on every check kind, with height and latency", async () => {
    await flushBoard();
    const { status, body } = await api<{ generatedAt: string; monitors: MonitorOut[] }>("/api/v1/status");
    expect(status).toBe(200);
    const byId = new Map(body.monitors.map((m) => [m.id, m]));
    for (const id of ["a-rest", "a-rpc", "a-events", "a-p2p", "b-rest", "c-rest", "d-rest", "e-rpc"]) {
      expect(byId.get(id)?.state, `${id}: ${byId.get(id)?.reasons}`).toBe("up");
    }
    const a = byId.get("a-rest");
    expect(a?.height).toBeGreaterThan(5000);
    expect(a?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(a?.vantages.map((v) => v.region)).toEqual(["enam", "weur"]);
    // monitors never seen yet are unknown, not up
    expect(byId.get("lim-1")?.state).toBe("unknown");
    // the one 1.5 node among 2.0 nodes: version drift, as information
    expect(byId.get("c-rest")?.reasons).toContain("runs version 1.5.8, expected 2.0.0 (most of its network)");
  });

  it("a stalled node turns degraded with a stall reason", async () => {
    await control.setFault("e2e-b", { fault: "stalled" });
    await probeNow("weur", ["b-rest"]);
    await sleep(4_500); // > 4 block times of 1 s
    await probeNow("weur", ["b-rest"]);
    await probeNow("weur", ["b-rest"]);
    const m = await monitorState("b-rest");
    expect(m.state).toBe("degraded");
    expect(m.reasons.join("; ")).toMatch(/stalled: height \d+ unchanged for \d+ s/);
    expect(m.reasons.join("; ")).toMatch(/last block is \d+ s old/);
    await heal("e2e-b", "b-rest");
  });

  it("a lagging node is degraded against the network's reference height", async () => {
    await probeNow("weur", ["a-rest", "c-rest"]); // fresh reference
    const m = await withFault("e2e-b", "b-rest", { fault: "lagging", lagBlocks: 20 });
    expect(m.state).toBe("degraded");
    // The reference is the median of the network's recent heights (older by up to a probe round
    // of 1-s blocks), so the lag reads a little under the 20 blocks the node is behind.
    const lag = Number(/lagging (\d+) blocks behind the network/.exec(m.reasons.join("; "))?.[1]);
    expect(lag).toBeGreaterThanOrEqual(10);
    expect(lag).toBeLessThanOrEqual(30);
    await heal("e2e-b", "b-rest");
  });

  it("CatchUp is degraded (syncing)", async () => {
    const m = await withFault("e2e-b", "b-rest", { fault: "catchup" });
    expect(m.state).toBe("degraded");
    expect(m.reasons).toContain("node is catching up (reactor CatchUp)");
    await heal("e2e-b", "b-rest");
  });

  it("a scheduled upgrade is up with an info reason", async () => {
    const m = await withFault("e2e-b", "b-rest", { fault: "upgrade" }, 1);
    expect(m.state).toBe("up");
    expect(m.reasons.join("; ")).toMatch(/upgrade to 2\.0\.1 scheduled at \d+/);
    await heal("e2e-b", "b-rest");
  });

  it("the wrong network is down", async () => {
    const m = await withFault("e2e-b", "b-rest", { fault: "wrong-chain" });
    expect(m.state).toBe("down");
    expect(m.reasons).toContain("node reports chain 'wrong-chain', expected 'casper-test'");
    await heal("e2e-b", "b-rest");
  });

  const downCases: [string, FaultSpec, RegExp][] = [
    ["refusing connections", { fault: "refusing" }, /refused/],
    ["hung", { fault: "hung" }, /^timed out waiting for a response: nothing within 3000 ms$/],
    [
      "slow beyond the timeout",
      { fault: "slow", delayMs: 5_000 },
      /^timed out waiting for a response: nothing within 3000 ms$/,
    ],
    [
      "stuck mid-response",
      { fault: "drip", delayMs: 200 },
      /^timed out reading the body after 3000 ms \(headers after \d+ ms\)$/,
    ],
    ["garbage body", { fault: "garbage" }, /JSON|not/i],
    ["huge body", { fault: "huge" }, /exceeds \d+ bytes/],
  ];
  for (const [label, spec, reason] of downCases) {
    it(`a node ${label} is down with that reason`, async () => {
      const m = await withFault("e2e-b", "b-rest", spec);
      expect(m.state).toBe("down");
      expect(m.reasons.join("; ")).toMatch(reason);
      expect(m.reasons.join("; ")).not.toMatch(/127\.0\.0\.1|http:\/\//);
      await heal("e2e-b", "b-rest");
    });
  }

  it("the monitor's history gives the phase a failure happened in and the time of each phase", async () => {
    await withFault("e2e-b", "b-rest", { fault: "drip", delayMs: 200 });
    const { body } = await api<{ results: { phase?: string; timings?: { responseMs?: number } }[] }>(
      "/api/v1/monitors/b-rest/history?limit=5",
    );
    const last = body.results.at(-1);
    expect(last?.phase).toBe("body");
    expect(last?.timings?.responseMs).toBeGreaterThanOrEqual(0);
    await heal("e2e-b", "b-rest");
  });

  it("a JSON-RPC error with HTTP 200 is down", async () => {
    await control.setFault("e2e-e", { fault: "rpc-error" });
    await probeNow("weur", ["e-rpc"]);
    await probeNow("weur", ["e-rpc"]);
    const m = await monitorState("e-rpc");
    expect(m.state).toBe("down");
    expect(m.reasons.join("; ")).toMatch(/-32603/);
    await control.heal("e2e-e");
    await probeNow("weur", ["e-rpc"]);
    await probeNow("weur", ["e-rpc"]);
    expect((await monitorState("e-rpc")).state).toBe("up");
  });

  it("an endless event stream without BlockAdded is degraded", async () => {
    const m = await withFault("e2e-a", "a-events", { fault: "endless-sse" });
    expect(m.state).toBe("degraded");
    expect(m.reasons).toContain("event stream is open but announced no new block in its window");
    await heal("e2e-a", "a-events");
  });

  it("a P2P port that refuses is down", async () => {
    const m = await withFault("e2e-a", "a-p2p", { fault: "refusing" });
    expect(m.state).toBe("down");
    await heal("e2e-a", "a-p2p");
  });

  it("a first failure is rechecked at once, so two failures (the threshold) come within one tick", async () => {
    await control.setFault("e2e-c", { fault: "refusing" });
    const t0 = Date.now();
    await probeNow("weur", ["c-rest"]); // one scheduled probe; the state object asks for the recheck
    let history: { state: string }[] = [];
    for (let i = 0; i < 50 && history.length < 2; i++) {
      await sleep(100);
      history = await stateShard().history({
        monitorId: "c-rest",
        from: t0,
        to: Date.now() + 1000,
        limit: 10,
      });
    }
    expect(history.map((p) => p.state)).toEqual(["down", "down"]);
    expect((await monitorState("c-rest")).state).toBe("down");
    await heal("e2e-c", "c-rest");
  });

  it("down from one region of two is not down (quorum), and the vantages show it", async () => {
    await control.setFault("e2e-a", { fault: "refusing", userAgentContains: "vantage weur" });
    for (let i = 0; i < 2; i++) {
      await probeNow("weur", ["a-rest"]);
      await probeNow("enam", ["a-rest"]);
    }
    const m = await monitorState("a-rest");
    expect(m.state).toBe("up");
    expect(m.vantages.find((v) => v.region === "weur")?.state).toBe("down");
    expect(m.vantages.find((v) => v.region === "enam")?.state).toBe("up");
    expect(m.reasons.join("; ")).toMatch(/down from weur only/);
    await control.heal("e2e-a");
    await probeNow("weur", ["a-rest"]);
    await probeNow("weur", ["a-rest"]);
  });

  it("an outage opens one incident and recovery closes it with its duration", async () => {
    type Incidents = {
      incidents: { id: string; closedAt: string | null; state: string; durationSec: number | null }[];
    };
    const before = (await api<Incidents>("/api/v1/incidents?monitor=c-rest")).body.incidents.length;
    await withFault("e2e-c", "c-rest", { fault: "refusing" });
    const open = await api<Incidents>("/api/v1/incidents?monitor=c-rest&status=open");
    expect(open.body.incidents).toHaveLength(1);
    expect(open.body.incidents[0]?.state).toBe("down");
    await probeNow("weur", ["c-rest"]); // still down: no second incident
    await heal("e2e-c", "c-rest");
    const all = await api<Incidents>("/api/v1/incidents?monitor=c-rest");
    expect(all.body.incidents).toHaveLength(before + 1);
    expect(all.body.incidents[0]?.id).toBe(open.body.incidents[0]?.id); // newest first
    expect(all.body.incidents[0]?.closedAt).not.toBeNull();
    expect(all.body.incidents[0]?.durationSec).toBeGreaterThanOrEqual(0);
  });

  it("a hung endpoint does not hold up the other monitors of the tick beyond its timeout", async () => {
    await control.setFault("e2e-b", { fault: "hung" });
    await control.setFault("e2e-c", { fault: "huge" });
    const t0 = Date.now();
    await probeNow("weur", ["a-rest", "a-rpc", "a-p2p", "b-rest", "c-rest", "d-rest", "e-rpc"]);
    const took = Date.now() - t0;
    expect(took).toBeLessThan(3_000 + 1_500);
    const history = await stateShard().history({ monitorId: "d-rest", from: t0, to: Date.now(), limit: 10 });
    expect(history.at(-1)?.state).toBe("up");
    expect(history.at(-1)?.latencyMs).toBeLessThan(1_000);
    await control.heal("e2e-b");
    await control.heal("e2e-c");
  });

  it("a prober's probes do not queue behind each other: each runs in an invocation of its own", async () => {
    await control.setFault("e2e-d", { fault: "slow", delayMs: 400 });
    await control.resetStats("e2e-d");
    const t0 = Date.now();
    const r = await probeNow("apac");
    const took = Date.now() - t0;
    const stats = await control.stats("e2e-d");
    expect(r.probed).toBe(12);
    // All twelve at the node at once: one wave of 400 ms, not two waves of six.
    expect(stats.maxInFlight).toBe(12);
    expect(took).toBeLessThan(800);
    await control.heal("e2e-d");
  });

  it("never more than 6 requests in flight per runner invocation", async () => {
    await control.setFault("e2e-d", { fault: "slow", delayMs: 400 });
    await control.resetStats("e2e-d");
    const ids = loadConfig(env)
      .monitors.filter((m) => m.regions.includes("apac"))
      .map((m) => m.id);
    const now = Date.now();
    const orders = ids.map((monitorId) => ({ monitorId, scheduledAt: now, handedAt: now, forced: true }));
    const t0 = Date.now();
    // One invocation given all twelve (a job deals them out; this calls one group directly).
    const { records } = await env.RUNNER.probeSome("apac", orders);
    const took = Date.now() - t0;
    expect(records).toHaveLength(12);
    expect((await control.stats("e2e-d")).maxInFlight).toBe(6);
    expect(took).toBeGreaterThanOrEqual(800); // two waves of six
    // The second wave waited for a connection, and says so.
    expect(Math.max(...records.map((x) => x.waitedMs ?? 0))).toBeGreaterThanOrEqual(350);
    await control.heal("e2e-d");
  });

  it("a window's probes, handed over together, each start at its own slot", async () => {
    await control.heal("e2e-d");
    const ids = loadConfig(env)
      .monitors.filter((m) => m.regions.includes("apac"))
      .map((m) => m.id)
      .slice(0, 3);
    const now = Date.now();
    const orders = ids.map((monitorId, i) => ({
      monitorId,
      scheduledAt: now + 300 * (i + 1),
      handedAt: now,
    }));
    const { records } = await env.RUNNER.probeSome("apac", orders);
    expect(records).toHaveLength(3);
    for (const [i, r] of records.entries()) {
      expect(r.scheduledAt).toBe(now + 300 * (i + 1));
      expect(r.checkedAt).toBeGreaterThanOrEqual(r.scheduledAt); // not before its slot
      expect(r.checkedAt - r.scheduledAt).toBeLessThan(250);
      expect(r.waitedMs ?? 0).toBeLessThan(250); // the wait for its slot is not queueing
    }
  });
});

describe("scheduling", () => {
  it("the alarm probes due monitors once per slot; a re-fired alarm does not probe again", async () => {
    const stub = prober("enam");
    await stub.ensureArmed("enam", 0);
    const before = (await stub.stats()).probes;
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const afterFirst = (await stub.stats()).probes;
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(stub);
    const afterSecond = (await stub.stats()).probes;
    expect(afterSecond).toBe(afterFirst); // same slot: idempotent
    expect(afterFirst).toBeGreaterThanOrEqual(before);
    const next = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(next).toBeGreaterThan(Date.now());
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAlarm());
  });

  it("the cron watchdog re-arms a prober whose alarm is missing", async () => {
    const stub = prober("apac");
    await stub.ensureArmed("apac", 0);
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAlarm());
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBeNull();
    await runCron();
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();
    for (const region of ["weur", "enam", "apac"] as const) {
      await runInDurableObject(prober(region), (_i, state) => state.storage.deleteAlarm());
    }
  });
});

describe("cost", () => {
  it("rows written per probe stay well under one in steady state", async () => {
    // Own region and network (see test-config.ts): nothing else probes or writes there.
    const shard = stateShard("state:casper:casper-cost");
    await probeNow("oc");
    const p0 = await prober("oc").stats();
    const s0 = await shard.stats();
    for (let i = 0; i < 5; i++) await probeNow("oc");
    const p1 = await prober("oc").stats();
    const s1 = await shard.stats();
    const probes = p1.probes - p0.probes;
    // Five forced runs, or more if another file's cron run armed this prober and an alarm came.
    const ticks = p1.forcedRuns - p0.forcedRuns + (p1.ticks - p0.ticks);
    const proberRows = p1.rowsWritten - p0.rowsWritten;
    const rows = proberRows + (s1.rowsWritten - s0.rowsWritten);
    console.log(JSON.stringify({ ticks, probes, rows, perProbe: rows / probes }));
    expect(p1.forcedRuns - p0.forcedRuns).toBe(5);
    // Eight monitors each forced run; an alarm tick in between probes only those whose slot came.
    expect(probes).toBeGreaterThanOrEqual(8 * 5);
    expect(probes).toBeLessThanOrEqual(8 * ticks);
    // The prober writes its slots at most once a minute, not per tick; the state object one batch
    // row per run of eight, since results finishing together travel together (gathered up to
    // 250 ms: a run split by the gathering may write two). Nothing per probe. Rollups add nothing
    // here: they accumulate in memory and are written with the 5-minute checkpoint, one row per
    // closed 5-minute period for the whole shard (see the next test), not per tick.
    expect(proberRows).toBeLessThanOrEqual(1);
    expect(rows).toBeLessThanOrEqual(2 * ticks + 1);
    expect(rows / probes).toBeLessThanOrEqual(0.3);
    expect(s1.rollupRowsWritten - s0.rollupRowsWritten).toBe(0);
  });

  it("rollups cost rows per bucket period, not per probe", async () => {
    const shard = stateShard("state:casper:casper-cost");
    await probeNow("oc");
    const before = await shard.stats();
    // The checkpoint as it will run ten minutes from now: two or three 5-minute buckets have closed.
    const later = Date.now() + 10 * 60_000;
    await runInDurableObject(shard, (instance) => {
      (instance as unknown as { checkpoint(now: number): void }).checkpoint(later);
    });
    const after = await shard.stats();
    const rollupRows = after.rollupRowsWritten - before.rollupRowsWritten;
    console.log(JSON.stringify({ rollupRows, probesSoFar: after.records }));
    // One row per closed 5-minute period (all eight monitors × vantage and overall in it): ten
    // minutes less the 150 s grace close one or two periods, depending on the clock; plus at most
    // one hourly compaction row if an hour ended in between. Nothing scales with the probes.
    expect(rollupRows).toBeGreaterThanOrEqual(1);
    expect(rollupRows).toBeLessThanOrEqual(3);
  });
});
