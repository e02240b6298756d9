import { afterAll, describe, expect, inject, it } from "vitest";
import type { Monitor } from "../../src/core/config/schema.ts";
import { evaluateResult } from "../../src/core/evaluate.ts";
import { type CheckOf, CheckSchema } from "../../src/core/kinds/index.ts";
import type { ProbeResult } from "../../src/core/result.ts";
import { FleetControl } from "../../src/sim/control-client.ts";
import type { SimNodeInfo } from "../../src/sim/types.ts";
import { runProbe } from "../../src/worker/run-probe.ts";
import { VALIDATOR_KEYS } from "../support/fleet-layout.ts";

// casper-validator in workerd against the val-* nodes (test/support/fleet-layout.ts): each test
// switches one key to one status through the fleet's control API and reads the verdict.

const fleet = inject("fleet");
const control = new FleetControl(fleet.controlUrl);
const node = (id: string): SimNodeInfo => {
  const n = fleet.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`fleet has no ${id}`);
  return n;
};
const rpcUrl = (id: string) => `http://${node(id).host}:${node(id).ports.rpc}/rpc`;
const statusUrl = (id: string) => `http://${node(id).host}:${node(id).ports.rest}/status`;

const check = (publicKey: string, extra: object = {}) =>
  CheckSchema.parse({
    kind: "casper-validator",
    publicKey,
    rpc: [rpcUrl("val-ok")],
    // Statuses switch mid-era here: read the auction every probe (the caching has its own test).
    auctionMaxAgeSec: 0,
    ...extra,
  }) as CheckOf<"casper-validator">;

const probe = (c: CheckOf<"casper-validator">) =>
  runProbe(c, { timeoutMs: 5000, userAgent: "chain-uptime-test/1" }, new AbortController().signal);

const verdict = (c: CheckOf<"casper-validator">, r: ProbeResult) =>
  evaluateResult({ chain: "casper", check: c, rules: {} } as unknown as Monitor, r, { now: Date.now() })
    .verdict;

const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code);

/** Probes every second until `done` holds (an era is 10 s on the val-* network). */
async function until(c: CheckOf<"casper-validator">, done: (r: ProbeResult) => boolean, ms = 25_000) {
  const deadline = Date.now() + ms;
  let r = await probe(c);
  while (!done(r) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    r = await probe(c);
  }
  if (!done(r))
    throw new Error(`not reached within ${ms} ms: ${JSON.stringify(r.facts?.validator ?? r.error)}`);
  return r;
}

afterAll(async () => {
  await control.heal("val-ok");
});

describe("casper-validator", () => {
  it("an active validator whose node runs its key is up, with its weight share and era", async () => {
    const c = check(VALIDATOR_KEYS.ok, { nodeStatusUrl: statusUrl("val-ok") });
    const r = await probe(c);
    expect(r.ok, r.error?.message).toBe(true);
    const v = r.facts?.validator;
    expect(v).toMatchObject({ chain: "casper", key: VALIDATOR_KEYS.ok, inEra: true, inNextEra: true });
    if (v?.chain !== "casper") throw new Error("not casper facts");
    // 8 val-* nodes at weight 4 and synthetic validators at 1..5 (15): 4 / 47.
    expect(v.share).toBeCloseTo(4 / 47, 4);
    expect(v.node).toEqual({ key: VALIDATOR_KEYS.ok, roundLength: expect.any(String) });
    expect(v.proposals?.blocks).toBeGreaterThan(0);
    expect(v.sources).toEqual({ answered: 1, asked: 1 });
    expect(verdict(c, r)).toEqual({ state: "up", reasons: [] });
  });

  it("the same answers from a 1.5 node (1.x blocks, proposer in the body)", async () => {
    const c = check(VALIDATOR_KEYS.v15, { rpc: [rpcUrl("val-15")], nodeStatusUrl: statusUrl("val-15") });
    const r = await probe(c);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.validator).toMatchObject({
      inEra: true,
      inNextEra: true,
      node: { key: VALIDATOR_KEYS.v15 },
    });
    expect(verdict(c, r).state).toBe("up");
  });

  it("CannotPropose is degraded, naming the era", async () => {
    const set = (await control.setValidator(VALIDATOR_KEYS.cannotPropose, { status: "cannot-propose" })) as {
      height: number;
    };
    const r = await probe(check(VALIDATOR_KEYS.cannotPropose));
    const v = verdict(check(VALIDATOR_KEYS.cannotPropose), r);
    expect(v.state).toBe("degraded");
    expect(codes(v)).toEqual(["cannot_propose"]);
    expect(v.reasons[0]?.message).toContain(`era ${Math.floor(set.height / 20)}`);
  });

  it("seen as faulty is down, and its eviction from the next era is said too", async () => {
    const sidecar = `http://${node("val-faulty").host}:${node("val-faulty").ports.sidecarRest}`;
    const c = check(VALIDATOR_KEYS.faulty, { sidecarRestUrl: sidecar });
    // Before: the sidecar has no Fault event for the key (its 404) and nothing is wrong.
    expect(verdict(c, await probe(c))).toEqual({ state: "up", reasons: [] });
    const set = (await control.setValidator(VALIDATOR_KEYS.faulty, { status: "faulty" })) as {
      height: number;
    };
    const r = await probe(c);
    expect(r.facts?.validator).toMatchObject({ faultEra: Math.floor(set.height / 20) });
    const v = verdict(c, r);
    expect(v.state).toBe("down");
    expect(codes(v).sort()).toEqual(["fault_event", "leaving_validator_set", "seen_as_faulty"]);
    expect(v.reasons.find((x) => x.code === "fault_event")?.message).toMatch(
      /equivocated: a Fault event in era \d+$/,
    );
  });

  it("banned is down at once, and out of the set from the next era", async () => {
    await control.setValidator(VALIDATOR_KEYS.banned, { status: "banned" });
    const c = check(VALIDATOR_KEYS.banned);
    const v = verdict(c, await probe(c));
    expect(v.state).toBe("down");
    expect(codes(v).sort()).toEqual(["banned", "leaving_validator_set"]);
    const later = await until(c, (r) => r.facts?.validator?.chain === "casper" && !r.facts.validator.inEra);
    expect(codes(verdict(c, later)).sort()).toEqual(["banned", "not_in_validator_set"]);
  }, 30_000);

  it("an eviction ahead (in this era, not the next) is a warning before it happens", async () => {
    await control.setValidator(VALIDATOR_KEYS.evicting, { status: "evicting" });
    const r = await probe(check(VALIDATOR_KEYS.evicting));
    expect(r.facts?.validator).toMatchObject({ inEra: true, inNextEra: false });
    const v = verdict(check(VALIDATOR_KEYS.evicting), r);
    expect(v.state).toBe("degraded");
    expect(v.reasons[0]?.message).toMatch(/not in era \d+'s validator set: evicted when era \d+ ends/);
  });

  it("removed: a warning for the era it still serves, then down; its node, still up, has no round", async () => {
    await control.setValidator(VALIDATOR_KEYS.removed, { status: "removed" });
    const c = check(VALIDATOR_KEYS.removed, { nodeStatusUrl: statusUrl("val-removed") });
    const first = verdict(c, await probe(c));
    expect(first.state).toBe("degraded");
    expect(codes(first)).toEqual(["leaving_validator_set"]);
    const r = await until(c, (x) => x.facts?.validator?.chain === "casper" && !x.facts.validator.inEra);
    expect(r.facts?.validator).toMatchObject({
      inEra: false,
      node: { key: VALIDATOR_KEYS.removed, roundLength: null },
    });
    expect(verdict(c, r).state).toBe("down");
    expect(codes(verdict(c, r))).toEqual(["not_in_validator_set"]);
  }, 30_000);

  it("a node that signs with another key is degraded: the key is not being validated there", async () => {
    const c = check(VALIDATOR_KEYS.ok, { nodeStatusUrl: statusUrl("val-15") });
    const v = verdict(c, await probe(c));
    expect(v.state).toBe("degraded");
    expect(codes(v)).toEqual(["node_runs_other_key"]);
  });

  it("node up, validator not producing: proposals far below its share are degraded", async () => {
    const c = check(VALIDATOR_KEYS.silent, {
      rpc: [rpcUrl("val-silent")],
      nodeStatusUrl: statusUrl("val-silent"),
    });
    const before = await probe(c);
    expect(verdict(c, before).state).toBe("up");
    await control.setValidator(VALIDATOR_KEYS.silent, { status: "silent" });
    let last = before;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1500));
      last = await probe(c);
      if (codes(verdict(c, last)).includes("not_proposing")) break;
    }
    const v = verdict(c, last);
    expect(v.state).toBe("degraded");
    expect(codes(v)).toEqual(["not_proposing"]);
    const [, proposed, expected] =
      /^proposed (\d+) of ~(\d+) expected blocks/.exec(v.reasons[0]?.message ?? "") ?? [];
    expect(Number(proposed)).toBeLessThan(Number(expected) / 2);
    // Its node still answers and signs with the key: only the network's blocks tell.
    expect(last.facts?.validator).toMatchObject({ node: { key: VALIDATOR_KEYS.silent } });
  }, 40_000);

  it("one endpoint failing is cross-checked by another; all failing is unknown, never down", async () => {
    await control.setFault("val-ok", { fault: "refusing" });
    const both = check(VALIDATOR_KEYS.v15, { rpc: [rpcUrl("val-ok"), rpcUrl("val-15")] });
    const r = await probe(both);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.validator).toMatchObject({ sources: { answered: 1, asked: 2 } });
    expect(verdict(both, r).state).toBe("up");

    const only = check(VALIDATOR_KEYS.ok);
    const failed = await probe(only);
    expect(failed.ok).toBe(false);
    const v = verdict(only, failed);
    expect(v.state).toBe("unknown");
    expect(v.reasons[0]?.message).toMatch(/^network view unreadable: /);
  });

  it("reads the auction once per era, not per probe", async () => {
    const c = check(VALIDATOR_KEYS.v15, { rpc: [rpcUrl("val-15")], auctionMaxAgeSec: 600 });
    await control.resetStats("val-15");
    const eras = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const r = await probe(c);
      if (r.facts?.validator?.chain === "casper") eras.add(r.facts.validator.era);
    }
    const stats = await control.stats("val-15");
    expect(stats.rpcMethods.info_get_validator_changes).toBe(4);
    expect(stats.rpcMethods.state_get_auction_info ?? 0).toBeLessThanOrEqual(eras.size);
    expect(eras.size).toBeLessThan(4);
  });

  it("rejects a malformed key at config load, naming the field", () => {
    const bad = CheckSchema.safeParse({
      kind: "casper-validator",
      publicKey: "01abc",
      rpc: [rpcUrl("val-ok")],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["publicKey"]);
    expect(bad.error?.issues[0]?.message).toContain("Casper public key");
  });
});
