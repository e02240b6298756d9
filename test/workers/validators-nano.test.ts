import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Monitor } from "../../src/core/config/schema.ts";
import { evaluateResult } from "../../src/core/evaluate.ts";
import { type CheckOf, CheckSchema } from "../../src/core/kinds/index.ts";
import type { ProbeResult } from "../../src/core/result.ts";
import { FleetControl } from "../../src/sim/control-client.ts";
import type { SimNanoInfo } from "../../src/sim/types.ts";
import { runProbe } from "../../src/worker/run-probe.ts";
import { NANO_REPS } from "../support/nano-layout.ts";

// nano-representative in workerd against nrep-a (runs representative A), nrep-b (B) and nrep-c
// (none): each node is asked, directly or through its NanoRPCProxy, whether it sees A or B online.

const fleet = inject("fleet");
const control = new FleetControl(fleet.controlUrl);
let a: SimNanoInfo;
let b: SimNanoInfo;
let c: SimNanoInfo;
beforeAll(async () => {
  const info = await control.info();
  const find = (id: string) => {
    const n = info.nano.find((m) => m.id === id);
    if (!n) throw new Error(`fleet has no ${id}`);
    return n;
  };
  [a, b, c] = [find("nrep-a"), find("nrep-b"), find("nrep-c")];
});
afterEach(async () => {
  await control.setValidator(NANO_REPS.a, { online: true, weightNano: 200_000 });
  await control.heal("nrep-c");
});

const direct = (n: SimNanoInfo) => `http://${n.host}:${n.ports.rpc}/`;
const viaProxy = (n: SimNanoInfo) => `http://${n.host}:${n.ports.proxy}/proxy`;
const check = (account: string, extra: object = {}) =>
  CheckSchema.parse({
    kind: "nano-representative",
    account,
    rpc: [direct(c), direct(b)],
    onlineCacheSec: 0,
    ...extra,
  }) as CheckOf<"nano-representative">;
const probe = (k: CheckOf<"nano-representative">) =>
  runProbe(k, { timeoutMs: 4000, userAgent: "chain-uptime-test/1" }, new AbortController().signal);
const evaluate = (k: CheckOf<"nano-representative">, r: ProbeResult, now = Date.now(), previous = {}) =>
  evaluateResult({ chain: "nano", check: k, rules: {} } as unknown as Monitor, r, { now, previous });
const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code);

describe("nano-representative", () => {
  it("online as every node sees it, its weight and principal status: up", async () => {
    const k = check(NANO_REPS.a, { expectPrincipal: true, minWeightNano: 100_000 });
    const r = await probe(k);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.validator).toEqual({
      chain: "nano",
      account: NANO_REPS.a,
      online: true,
      seenBy: 2,
      asked: 2,
      weight: `200000${"0".repeat(30)}`,
      onlineStake: expect.stringMatching(/^\d+$/),
      principal: true,
    });
    expect(evaluate(k, r).verdict).toEqual({ state: "up", reasons: [] });
  });

  it("weight under the floor, or no longer principal: degraded", async () => {
    const k = check(NANO_REPS.b, { expectPrincipal: true, minWeightNano: 100_000 });
    const v = evaluate(k, await probe(k)).verdict;
    expect(v.state).toBe("degraded");
    expect(codes(v)).toEqual(["weight_below_floor", "not_principal"]);
    expect(v.reasons[0]?.message).toContain("50,000 Nano is below the floor of 100,000 Nano");
  });

  it("node up, representative not voting: dropped from online is down, though its node answers", async () => {
    await control.setValidator(NANO_REPS.a, { online: false });
    const own = await runProbe(
      CheckSchema.parse({ kind: "nano-rpc", url: direct(a) }),
      { timeoutMs: 4000, userAgent: "chain-uptime-test/1" },
      new AbortController().signal,
    );
    expect(own.ok, own.error?.message).toBe(true);
    const k = check(NANO_REPS.a);
    const r = await probe(k);
    expect(r.facts?.validator).toMatchObject({ online: false, seenBy: 0, asked: 2 });
    const v = evaluate(k, r).verdict;
    expect(v.state).toBe("down");
    expect(codes(v)).toEqual(["representative_offline"]);
  });

  it("behind a cache, missing is degraded until it has stayed missing longer than the cache", async () => {
    await control.setValidator(NANO_REPS.a, { online: false });
    const k = check(NANO_REPS.a, { onlineCacheSec: 300 });
    const r = await probe(k);
    const t0 = Date.now();
    const first = evaluate(k, r, t0);
    expect(first.verdict.state).toBe("degraded");
    expect(first.verdict.reasons[0]?.message).toContain("down if still missing after the 300 s");
    expect(evaluate(k, r, t0 + 299_000, first.memory).verdict.state).toBe("degraded");
    const later = evaluate(k, r, t0 + 301_000, first.memory);
    expect(later.verdict.state).toBe("down");
    expect(later.verdict.reasons[0]?.message).toMatch(/for 5 min$/);
    // Seen again: the clock starts over.
    await control.setValidator(NANO_REPS.a, { online: true });
    expect(evaluate(k, await probe(k), t0 + 302_000, later.memory).memory.absentSince).toBeUndefined();
  });

  it("a proxy's cached representatives_online still lists a representative that just dropped", async () => {
    const k = check(NANO_REPS.a, { rpc: [viaProxy(c)] });
    expect((await probe(k)).facts?.validator).toMatchObject({ online: true });
    await control.setValidator(NANO_REPS.a, { online: false });
    expect((await probe(k)).facts?.validator).toMatchObject({ online: true });
    expect((await probe(check(NANO_REPS.a, { rpc: [direct(c)] }))).facts?.validator).toMatchObject({
      online: false,
    });
  });

  it("one node failing is cross-checked by the other; all failing is unknown, never down", async () => {
    await control.setFault("nrep-c", { fault: "refusing" });
    const r = await probe(check(NANO_REPS.a));
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.validator).toMatchObject({ online: true, asked: 1 });
    const only = check(NANO_REPS.a, { rpc: [direct(c)] });
    const failed = await probe(only);
    expect(failed.ok).toBe(false);
    expect(evaluate(only, failed).verdict.state).toBe("unknown");
  });

  it("rejects a malformed account at config load, naming the field", () => {
    const bad = CheckSchema.safeParse({ kind: "nano-representative", account: "nano_123", rpc: [direct(c)] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["account"]);
    expect(bad.error?.issues[0]?.message).toContain("Nano account");
  });
});
