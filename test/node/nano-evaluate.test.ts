import { describe, expect, it } from "vitest";
import { evaluateNano, NANO_DEFAULTS, nanoThresholds } from "../../src/core/chains/nano/evaluate.ts";
import { addNanoAnswer, nanoVersionOf, safeUint } from "../../src/core/chains/nano/rpc.ts";
import type { ChainMemory } from "../../src/core/chains/types.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import type { ChainFacts } from "../../src/core/result.ts";

const now = 1_700_000_000_000;
const rules = ChainRulesSchema.parse({ expectChainName: "live", minPeers: 3 });
const healthy: ChainFacts = { height: 214_104_509, peers: 40, chainName: "live", version: "27.1" };
const codes = (f: ChainFacts, ctx: Parameters<typeof evaluateNano>[2] = { now }, r = rules) =>
  evaluateNano(f, r, ctx).reasons.map((x) => x.code);

describe("Nano evaluation", () => {
  it("a healthy node has no reasons and may set the network reference", () => {
    const e = evaluateNano(healthy, rules, { now, networkHeight: healthy.height });
    expect(e.reasons).toEqual([]);
    expect(e.referenceHeight).toBe(healthy.height);
    expect(e.maintenance).toBe(false);
  });

  it("another network is critical", () => {
    expect(evaluateNano({ ...healthy, chainName: "beta" }, rules, { now }).reasons).toEqual([
      {
        code: "wrong_network",
        severity: "critical",
        message: "node reports network 'beta', expected 'live'",
      },
    ]);
  });

  it("fewer peers than minPeers is degraded", () => {
    expect(codes({ ...healthy, peers: 2 })).toEqual(["few_peers"]);
    expect(codes({ ...healthy, peers: 3 })).toEqual([]);
  });

  it("a proxy's 30 s cache is not a stall: the count stands still, then jumps", () => {
    let memory: ChainMemory | undefined;
    let cemented = 1_000_000;
    // Probed every 10 s for 5 minutes; the proxy refreshes its cached count every 30 s.
    for (let t = 0; t <= 300_000; t += 10_000) {
      if (t % 30_000 === 0) cemented += 150;
      const e = evaluateNano({ ...healthy, height: cemented }, rules, { now: now + t, previous: memory });
      expect(e.reasons, `at ${t / 1000} s`).toEqual([]);
      memory = e.memory;
    }
  });

  it("a count unchanged for longer than stallAfterSec (default 120 s) is stalled", () => {
    const first = evaluateNano(healthy, rules, { now });
    const at = (sec: number) =>
      evaluateNano(healthy, rules, { now: now + sec * 1000, previous: first.memory });
    expect(at(NANO_DEFAULTS.stallAfterSec).reasons).toEqual([]);
    expect(at(NANO_DEFAULTS.stallAfterSec + 1).reasons).toEqual([
      {
        code: "stalled",
        severity: "warn",
        message: "stalled: cemented count 214104509 unchanged for 121 s",
      },
    ]);
    expect(at(121).referenceHeight).toBeUndefined(); // a stalled node cannot set the reference
    const strict = ChainRulesSchema.parse({ stallAfterSec: 60 });
    expect(
      evaluateNano(healthy, strict, { now: now + 61_000, previous: first.memory }).reasons[0]?.code,
    ).toBe("stalled");
  });

  it("lag behind the network reference: 10000 cemented blocks by default", () => {
    const h = healthy.height ?? 0;
    expect(codes(healthy, { now, networkHeight: h + NANO_DEFAULTS.maxLagBlocks })).toEqual([]);
    const e = evaluateNano(healthy, rules, { now, networkHeight: h + 50_000 });
    expect(e.reasons).toEqual([
      {
        code: "lagging",
        severity: "warn",
        message:
          "lagging 50000 blocks behind the network (cemented 214104509, network 214154509; limit 10000)",
      },
    ]);
    expect(e.referenceHeight).toBe(h); // lagging alone does not disqualify (the max wins anyway)
  });

  it("an explicit maxLagBlocks counts", () => {
    const tight = ChainRulesSchema.parse({ maxLagBlocks: 100 });
    expect(codes(healthy, { now, networkHeight: (healthy.height ?? 0) + 101 }, tight)).toEqual(["lagging"]);
    expect(nanoThresholds(ChainRulesSchema.parse({ maxLagBlocks: 0 })).maxLagBlocks).toBe(0);
  });

  it("the schema's filled-in Casper default (5 blocks) does not apply to Nano", () => {
    expect(nanoThresholds(ChainRulesSchema.parse({})).maxLagBlocks).toBe(NANO_DEFAULTS.maxLagBlocks);
    expect(
      codes(healthy, { now, networkHeight: (healthy.height ?? 0) + 6 }, ChainRulesSchema.parse({})),
    ).toEqual([]);
  });

  it("without a network reference, the peers' telemetry stands in", () => {
    const facts = { ...healthy, metrics: { network_cemented: (healthy.height ?? 0) + 20_000 } };
    const [reason] = evaluateNano(facts, rules, { now }).reasons;
    expect(reason?.code).toBe("lagging");
    expect(reason?.message).toContain("its peers report");
  });

  it("facts without a count (a WebSocket probe) give no chain reasons", () => {
    expect(evaluateNano({ metrics: { pong_ms: 3 } }, rules, { now })).toEqual({
      reasons: [],
      maintenance: false,
      memory: { height: undefined, heightChangedAt: now },
      referenceHeight: undefined,
    });
  });
});

describe("Nano RPC answers → facts", () => {
  const add = (action: Parameters<typeof addNanoAnswer>[0], answer: unknown, facts: ChainFacts = {}) => ({
    result: addNanoAnswer(action, answer, facts),
    facts,
  });

  it("block_count: cemented is the height; strings parsed exactly", () => {
    const { result, facts } = add("block_count", {
      count: "214104520",
      unchecked: "5161",
      cemented: "214104509",
      requestsRemaining: "4998",
    });
    expect(result.ok).toBe(true);
    expect(facts).toEqual({
      height: 214_104_509,
      metrics: { block_count: 214_104_520, unchecked: 5161, proxy_requests_remaining: 4998 },
    });
  });

  it("block_count: numbers, negatives and counts past 2^53 are refused, not rounded", () => {
    expect(add("block_count", { count: 1000, unchecked: "1", cemented: "1" }).result).toMatchObject({
      ok: false,
      problem: expect.stringContaining("count"),
    });
    expect(add("block_count", { count: "1", unchecked: "1", cemented: "-1" }).result.ok).toBe(false);
    expect(add("block_count", { count: "1", unchecked: "1", cemented: "9007199254740993" }).result).toEqual({
      ok: false,
      problem: "a block count is larger than 2^53",
    });
    expect(safeUint("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER);
    expect(safeUint("9007199254740992")).toBeUndefined();
  });

  it("version: network, vendor and version", () => {
    const { facts } = add("version", {
      rpc_version: "1",
      protocol_version: "21",
      node_vendor: "Nano V27.1",
      network: "live",
    });
    expect(facts).toEqual({
      chainName: "live",
      vendor: "Nano V27.1",
      version: "27.1",
      metrics: { protocol_version: 21 },
    });
    expect(nanoVersionOf("Nano 20.0")).toBe("20.0");
    expect(nanoVersionOf("Nano V28.0DB1")).toBe("28.0DB1");
    expect(nanoVersionOf("something else")).toBe("something else");
  });

  it("peers: a map of peers, or boost's empty string", () => {
    expect(
      add("peers", { peers: { "[::ffff:1.2.3.4]:7075": "21", "[::ffff:1.2.3.5]:7075": "21" } }).facts.peers,
    ).toBe(2);
    expect(add("peers", { peers: "" }).facts.peers).toBe(0);
    expect(add("peers", { peers: 3 }).result.ok).toBe(false);
  });

  it("telemetry: the peers' cemented count; confirmation_quorum: peers' share of online stake", () => {
    expect(add("telemetry", { cemented_count: "214104509", peer_count: "176" }).facts.metrics).toEqual({
      network_cemented: 214_104_509,
      network_peer_count: 176,
    });
    const quorum = add("confirmation_quorum", {
      online_stake_total: "82939414347555434636491651871033324568",
      peers_stake_total: "69026910610720098597176027400951402360",
    });
    expect(quorum.facts.metrics?.peers_stake_percent).toBe(83.22);
  });
});
