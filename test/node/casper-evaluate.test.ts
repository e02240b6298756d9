import { describe, expect, it } from "vitest";
import { evaluateCasper } from "../../src/core/chains/casper/evaluate.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
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
