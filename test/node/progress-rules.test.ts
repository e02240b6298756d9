import { describe, expect, it } from "vitest";
import { evaluateCasper } from "../../src/core/chains/casper/evaluate.ts";
import { evaluateChia } from "../../src/core/chains/chia/evaluate.ts";
import { evaluateNano } from "../../src/core/chains/nano/evaluate.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";

// The progress rules every chain shares (core/chains/progress.ts): ahead of the network's
// consensus, and no reference at all.
const rules = ChainRulesSchema.parse({});
const now = Date.now();

describe("ahead of the network", () => {
  it("Casper: far ahead is degraded, named as a possible wrong fork, and sets no reference", () => {
    const facts = { height: 11_000, syncState: "KeepUp", peers: 5, lastBlockAt: now, version: "2.0.0" };
    const e = evaluateCasper(facts, rules, { now, networkHeight: 1_000 });
    expect(e.reasons).toEqual([
      {
        code: "ahead",
        severity: "warn",
        message:
          "10000 blocks ahead of the network (height 11000, network 1000): wrong fork or wrong network?",
      },
    ]);
    expect(e.referenceHeight).toBeUndefined();
    // A few blocks ahead is the normal course (the reference is formed from older reports).
    expect(evaluateCasper({ ...facts, height: 1_050 }, rules, { now, networkHeight: 1_000 }).reasons).toEqual(
      [],
    );
    // maxAheadBlocks sets the limit.
    const tight = ChainRulesSchema.parse({ maxAheadBlocks: 10 });
    expect(
      evaluateCasper({ ...facts, height: 1_050 }, tight, { now, networkHeight: 1_000 }).reasons.map(
        (r) => r.code,
      ),
    ).toEqual(["ahead"]);
  });

  it("Nano and Chia use the same rule at their own scale", () => {
    const nano = evaluateNano({ height: 201_000_000, peers: 10 }, rules, { now, networkHeight: 200_000_000 });
    expect(nano.reasons.map((r) => r.message)).toEqual([
      "1000000 blocks ahead of the network (cemented 201000000, network 200000000): wrong fork or wrong network?",
    ]);
    const chia = evaluateChia({ height: 16_000_000, syncState: "synced" }, rules, {
      now,
      networkHeight: 5_000_000,
    });
    expect(chia.reasons.map((r) => r.code)).toEqual(["ahead"]);
  });
});

describe("no reference", () => {
  it("too few nodes: lag is not judged, and the reason says so", () => {
    const e = evaluateCasper(
      { height: 500, syncState: "KeepUp", peers: 5, lastBlockAt: now, version: "2.0.0" },
      rules,
      { now, networkShortOf: { nodes: 2, needed: 3 } },
    );
    expect(e.reasons).toEqual([
      {
        code: "no_reference",
        severity: "info",
        message: "lag not judged: 2 of the 3 nodes a network reference needs report a fresh height",
      },
    ]);
    expect(e.referenceHeight).toBe(500); // info only: the node still votes
  });

  it("Nano falls back to what its peers report, so its lag is still judged", () => {
    const e = evaluateNano({ height: 100, peers: 10, metrics: { network_cemented: 50_000 } }, rules, {
      now,
      networkShortOf: { nodes: 1, needed: 3 },
    });
    expect(e.reasons.map((r) => r.code)).toEqual(["lagging"]);
  });
});
