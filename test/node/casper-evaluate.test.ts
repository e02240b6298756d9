import { describe, expect, it } from "vitest";
import { evaluateCasper } from "../../src/core/chains/casper/evaluate.ts";
import { metricReasons } from "../../src/core/chains/casper/metric-rules.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import { stateFromReasons } from "../../src/core/evaluate.ts";
import type { ChainFacts } from "../../src/core/result.ts";

const now = 1_700_000_000_000;
const rules = ChainRulesSchema.parse({ blockTimeSec: 10, expectChainName: "casper" });
const healthy: ChainFacts = {
  height: 100,
  lastBlockAt: now - 5_000,
  syncState: "KeepUp",
  peers: 8,
  chainName: "casper",
  version: "2.0.0",
  upgrade: null,
};
const codes = (f: ChainFacts, ctx: Parameters<typeof evaluateCasper>[2] = { now }, r = rules) =>
  evaluateCasper(f, r, ctx).reasons.map((x) => x.code);

describe("Casper evaluation", () => {
  it("a healthy node has no reasons and sets the network reference", () => {
    const e = evaluateCasper(healthy, rules, { now });
    expect(e.reasons).toEqual([]);
    expect(e.referenceHeight).toBe(100);
    expect(e.maintenance).toBe(false);
  });

  it("reactor states: CatchUp is syncing, upgrading is maintenance, Validate is fine", () => {
    expect(codes({ ...healthy, syncState: "CatchUp" })).toEqual(["syncing"]);
    expect(codes({ ...healthy, syncState: "Initialize" })).toEqual(["not_ready"]);
    expect(codes({ ...healthy, syncState: "Validate" })).toEqual([]);
    const up = evaluateCasper({ ...healthy, syncState: "ShutdownForUpgrade" }, rules, { now });
    expect(up.maintenance).toBe(true);
  });

  it("wrong network is critical", () => {
    const e = evaluateCasper({ ...healthy, chainName: "casper-test" }, rules, { now });
    expect(e.reasons).toEqual([
      {
        code: "wrong_network",
        severity: "critical",
        message: "node reports chain 'casper-test', expected 'casper'",
      },
    ]);
  });

  it("too few peers", () => {
    expect(codes({ ...healthy, peers: 0 })).toEqual(["few_peers"]);
  });

  it("a last block older than 4 block times is stale", () => {
    expect(codes({ ...healthy, lastBlockAt: now - 39_000 })).toEqual([]);
    expect(codes({ ...healthy, lastBlockAt: now - 41_000 })).toEqual(["stale_block"]);
    expect(
      evaluateCasper({ ...healthy, lastBlockAt: now - 120_000 }, rules, { now }).reasons[0]?.message,
    ).toBe("last block is 120 s old (limit 40 s)");
  });

  it("default thresholds follow the protocol version's block time", () => {
    const loose = ChainRulesSchema.parse({});
    // 1.x: 66 s × 4 = 264 s; 2.0: 16.4 × 4 ≈ 66 s
    expect(codes({ ...healthy, version: "1.5.8", lastBlockAt: now - 200_000 }, { now }, loose)).toEqual([]);
    expect(codes({ ...healthy, version: "2.0.0", lastBlockAt: now - 70_000 }, { now }, loose)).toEqual([
      "stale_block",
    ]);
  });

  it("height unchanged beyond stallAfter is a stall; moving height resets it", () => {
    const first = evaluateCasper(healthy, rules, { now });
    expect(first.memory).toEqual({ height: 100, heightChangedAt: now });
    const later = now + 41_000;
    const stalled = evaluateCasper({ ...healthy, lastBlockAt: later - 1000 }, rules, {
      now: later,
      previous: first.memory,
    });
    expect(stalled.reasons.map((r) => r.message)).toEqual(["stalled: height 100 unchanged for 41 s"]);
    expect(stalled.referenceHeight).toBeUndefined();
    const moved = evaluateCasper({ ...healthy, height: 101, lastBlockAt: later }, rules, {
      now: later,
      previous: first.memory,
    });
    expect(moved.reasons).toEqual([]);
    expect(moved.memory.heightChangedAt).toBe(later);
  });

  it("lag behind the network reference beyond maxLagBlocks", () => {
    expect(codes(healthy, { now, networkHeight: 105 })).toEqual([]);
    const e = evaluateCasper(healthy, rules, { now, networkHeight: 130 });
    expect(e.reasons.map((r) => r.message)).toEqual([
      "lagging 30 blocks behind the network (height 100, network 130)",
    ]);
    // a lagging but otherwise healthy node may still report its height as a reference candidate
    expect(e.referenceHeight).toBe(100);
  });

  it("a scheduled upgrade is information, not a failure", () => {
    const e = evaluateCasper(
      { ...healthy, upgrade: { activationPoint: "42", protocolVersion: "2.0.1" } },
      rules,
      {
        now,
      },
    );
    expect(e.reasons).toEqual([
      { code: "upgrade_scheduled", severity: "info", message: "upgrade to 2.0.1 scheduled at 42" },
    ]);
  });

  it("an SSE window without a block is degraded", () => {
    expect(codes({ version: "2.0.0", blockSeen: false })).toEqual(["no_block_event"]);
  });

  it("a node syncing from scratch has no block", () => {
    expect(codes({ syncState: "KeepUp", peers: 3, chainName: "casper" })).toEqual(["no_block"]);
  });
});

describe("Casper event sidecar: node_statuses", () => {
  const status = (n: number) => evaluateCasper({ sidecarNodeStatus: n }, rules, { now }).reasons;

  it("2 (connected) is fine", () => {
    expect(status(2)).toEqual([]);
  });

  it("0, 1 and 3 are a connection under way: degraded, with the meaning named", () => {
    expect(status(3)).toEqual([
      {
        code: "sidecar_reconnecting",
        severity: "warn",
        message: "sidecar is reconnecting to its node (node_statuses 3)",
      },
    ]);
    expect(status(0)).toEqual([
      {
        code: "sidecar_connecting",
        severity: "warn",
        message: "sidecar is preparing its node connection (node_statuses 0)",
      },
    ]);
    expect(status(1)[0]).toMatchObject({
      severity: "warn",
      message: "sidecar is connecting to its node (node_statuses 1)",
    });
  });

  it("-1, -2 and anything undocumented mean the sidecar gave up: down", () => {
    expect(status(-1)).toEqual([
      {
        code: "sidecar_gave_up",
        severity: "critical",
        message: "sidecar gave up on its node: connection attempts exhausted (node_statuses -1)",
      },
    ]);
    expect(status(-2)).toEqual([
      {
        code: "sidecar_incompatible",
        severity: "critical",
        message: "sidecar's node runs an incompatible version (node_statuses -2)",
      },
    ]);
    expect(status(7)).toEqual([
      {
        code: "sidecar_status_unknown",
        severity: "critical",
        message: "sidecar reports an undocumented node status (node_statuses 7)",
      },
    ]);
    expect(stateFromReasons(status(-3), false)).toBe("down");
  });

  it("a sidecar up while its node is gone never reads healthy, whichever port is probed", () => {
    const loose = ChainRulesSchema.parse({});
    // admin: node_statuses 3
    expect(stateFromReasons(status(3), false)).toBe("degraded");
    // events: the stream is open but relays no block
    const events = evaluateCasper(
      { version: "2.0.0", vendor: "casper-sidecar 1.1.0", blockSeen: false },
      loose,
      {
        now,
      },
    );
    expect(events.reasons.map((r) => r.code)).toEqual(["no_block_event"]);
    // rest: /block frozen. The block's protocol version gives 2.0's 16.4 s block time, so the
    // block is stale after ≈66 s and the height stalls after as long.
    const frozen = { version: "2.0.0", height: 100, lastBlockAt: now - 70_000 };
    const first = evaluateCasper(frozen, loose, { now: now - 70_000 + 1000 });
    const later = evaluateCasper(frozen, loose, { now, previous: first.memory });
    expect(later.reasons.map((r) => r.code)).toEqual(["stale_block", "stalled"]);
    expect(stateFromReasons(later.reasons, false)).toBe("degraded");
    expect(later.referenceHeight).toBeUndefined();
  });
});

describe("gauge thresholds (metricReasons)", () => {
  it("values inside their bounds give nothing", () => {
    expect(metricReasons({ peers: 5, queue: 10 }, { peers: { min: 1 }, queue: { min: 0, max: 10 } })).toEqual(
      [],
    );
    expect(metricReasons({ peers: 5 }, {})).toEqual([]);
  });

  it("below min, above max: a warn reason naming gauge, value and bound", () => {
    expect(metricReasons({ peers: 0 }, { peers: { min: 1 } })).toEqual([
      { code: "gauge:peers", severity: "warn", message: "peers = 0 (minimum 1)" },
    ]);
    expect(
      metricReasons({ execution_queue_size: 1234.5678912 }, { execution_queue_size: { max: 1000 } }),
    ).toEqual([
      {
        code: "gauge:execution_queue_size",
        severity: "warn",
        message: "execution_queue_size = 1234.57 (maximum 1000)",
      },
    ]);
  });

  it("a gauge the page does not have is a reason too; gauges keep their own codes", () => {
    const reasons = metricReasons(
      { peers: 0 },
      { peers: { min: 1 }, consensus_current_era: { min: 1 }, toString: { max: 1 } },
    );
    expect(reasons).toEqual([
      { code: "gauge:peers", severity: "warn", message: "peers = 0 (minimum 1)" },
      {
        code: "gauge_missing:consensus_current_era",
        severity: "warn",
        message: "gauge consensus_current_era is missing from /metrics (or not a number)",
      },
      {
        code: "gauge_missing:toString",
        severity: "warn",
        message: "gauge toString is missing from /metrics (or not a number)",
      },
    ]);
    expect(metricReasons(undefined, { peers: { min: 1 } })[0]?.code).toBe("gauge_missing:peers");
  });
});
