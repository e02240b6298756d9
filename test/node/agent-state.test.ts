import { describe, expect, it } from "vitest";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import { type Monitor, MonitorSchema } from "../../src/core/config/schema.ts";
import { type Check, CheckSchema, evaluateCheck } from "../../src/core/kinds/index.ts";
import { applyRecord, type MonitorMemory, quorumOf, sweepStale } from "../../src/core/state/monitor.ts";

const monitor = (extra: Record<string, unknown> = {}): Monitor =>
  MonitorSchema.parse({
    id: "m",
    name: "m",
    chain: "generic",
    check: { kind: "tls-cert", host: "h" },
    regions: [],
    agents: ["ops-1"],
    intervalSec: 10,
    timeoutMs: 2000,
    failureThreshold: 1,
    recoveryThreshold: 1,
    ...extra,
  });

const ok = (at: number, vantage = "agent:ops-1") => ({
  monitorId: "m",
  vantage,
  scheduledAt: at,
  checkedAt: at,
  result: { ok: true, latencyMs: 5 },
});

describe("agent vantages in the state machine", () => {
  it("quorum counts agents as vantages", () => {
    expect(quorumOf(monitor())).toBe(1);
    expect(
      quorumOf(
        monitor({ check: { kind: "tcp", host: "h", port: 1 }, regions: ["weur", "enam"], agents: ["ops-1"] }),
      ),
    ).toBe(2);
  });

  it("an agent result is a vantage of its own", () => {
    const step = applyRecord(undefined, monitor(), ok(1_000_000), {});
    expect(step.memory.vantages["agent:ops-1"]?.state).toBe("up");
    expect(step.memory.overall.state).toBe("up");
  });

  it("a silent agent turns its vantage unknown with 'monitoring degraded', never down", () => {
    const m = monitor();
    const t0 = 1_000_000;
    const mem: MonitorMemory = applyRecord(undefined, m, ok(t0), {}).memory;
    // Stale after 3 intervals plus the timeout.
    expect(sweepStale(mem, m, t0 + 31_000)).toBeUndefined();
    const step = sweepStale(mem, m, t0 + 33_000);
    const v = step?.memory.vantages["agent:ops-1"];
    expect(v?.state).toBe("unknown");
    expect(v?.reasons).toEqual([
      { code: "agent_silent", severity: "info", message: "monitoring degraded: agent ops-1 silent for 33 s" },
    ]);
    expect(step?.memory.overall.state).toBe("unknown");
  });

  it("with regions beside the agent, a silent agent leaves the regions' verdict standing", () => {
    const m = monitor({ check: { kind: "tcp", host: "h", port: 1 }, regions: ["weur"], agents: ["ops-1"] });
    const t0 = 1_000_000;
    let mem = applyRecord(undefined, m, ok(t0), {}).memory;
    mem = applyRecord(mem, m, ok(t0 + 30_000, "weur"), {}).memory;
    const step = sweepStale(mem, m, t0 + 33_000);
    expect(step?.memory.vantages["agent:ops-1"]?.state).toBe("unknown");
    expect(step?.memory.vantages.weur?.state).toBe("up");
    expect(step?.memory.overall.state).toBe("up");
  });
});

describe("evaluateCheck", () => {
  const rules = ChainRulesSchema.parse({});
  const check = (c: Record<string, unknown>) => CheckSchema.parse(c) as Check;

  it("chia: not synced, stalled peak, lag behind the network", () => {
    const c = check({ kind: "chia-rpc", url: "https://localhost:8555", chiaRoot: "/x" });
    const t0 = 1_000_000;
    const first = evaluateCheck(c, { height: 100, syncState: "synced" }, rules, { now: t0 });
    expect(first.reasons).toEqual([]);
    expect(first.referenceHeight).toBe(100);
    const stalled = evaluateCheck(c, { height: 100, syncState: "synced" }, rules, {
      now: t0 + 200_000,
      previous: first.memory,
      networkHeight: 120,
    });
    expect(stalled.reasons.map((r) => r.code)).toEqual(["stalled", "lagging"]);
    expect(
      evaluateCheck(c, { height: 101, syncState: "not_synced" }, rules, { now: t0 }).reasons[0]?.code,
    ).toBe("not_synced");
  });

  it("nano and casper: a node on another network than rules.expectChainName is critical", () => {
    const r = ChainRulesSchema.parse({ expectChainName: "live" });
    const e = evaluateCheck(check({ kind: "nano-peering", host: "h" }), { chainName: "beta" }, r, {
      now: 0,
    });
    expect(e.reasons[0]).toMatchObject({ code: "wrong_network", severity: "critical" });
  });

  it("udp and chia-daemon: a successful probe is simply up", () => {
    expect(
      evaluateCheck(check({ kind: "udp", host: "h", port: 1, sendText: "x" }), {}, rules, { now: 0 }).reasons,
    ).toEqual([]);
  });
});

describe("a gap is not an event", () => {
  const fail = (at: number, vantage = "agent:ops-1") => ({
    ...ok(at, vantage),
    result: { ok: false, latencyMs: 1, error: { kind: "refused" as const, message: "connection refused" } },
  });

  it("down, a gap, down again: the outage keeps its `since`; the gap has its own change time", () => {
    const m = monitor();
    const t0 = 1_000_000;
    const down = applyRecord(undefined, m, fail(t0), {}).memory;
    expect(down.overall).toMatchObject({ state: "down", since: t0, changedAt: t0 });
    const gap = sweepStale(down, m, t0 + 60_000);
    expect(gap?.memory.overall).toMatchObject({
      state: "unknown",
      since: t0 + 60_000,
      changedAt: t0 + 60_000,
      beforeGap: { state: "down", since: t0 },
    });
    const again = applyRecord(gap?.memory, m, fail(t0 + 600_000), {});
    expect(again.changedFrom).toBe("unknown");
    expect(again.memory.overall).toMatchObject({ state: "down", since: t0, changedAt: t0 + 600_000 });
    expect(again.memory.overall.beforeGap).toBeUndefined();
  });

  it("up, a gap, down: a new state starts its own `since`", () => {
    const m = monitor();
    const t0 = 1_000_000;
    const up = applyRecord(undefined, m, ok(t0), {}).memory;
    const gap = sweepStale(up, m, t0 + 60_000)?.memory;
    const down = applyRecord(gap, m, fail(t0 + 600_000), {}).memory;
    expect(down.overall).toMatchObject({ state: "down", since: t0 + 600_000 });
  });
});
