import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgentProbe } from "../../src/agent/probes/registry.ts";
import type { Monitor } from "../../src/core/config/schema.ts";
import { evaluateResult } from "../../src/core/evaluate.ts";
import { type CheckOf, CheckSchema } from "../../src/core/kinds/index.ts";
import type { ProbeResult } from "../../src/core/result.ts";
import { SimChiaFarmer } from "../../src/sim/chia/farmer.ts";
import { makePki, type Pki, pemFile } from "./agent-servers.ts";

// chia-farmer through the agent's probe, over mutual TLS, against the simulated farmer
// (src/sim/chia/farmer.ts): a new signage point every 300 ms, two harvesters of 120 plots.

const options = { timeoutMs: 3000, userAgent: "chain-uptime-agent/test" };
let pki: Pki;
let farmer: SimChiaFarmer;
let port: number;
let files: { caFile: string; certFile: string; keyFile: string };
beforeAll(async () => {
  pki = makePki();
  files = {
    caFile: pemFile(pki.ca.cert),
    certFile: pemFile(pki.client.cert),
    keyFile: pemFile(pki.client.key),
  };
  farmer = new SimChiaFarmer({
    tls: { ca: pki.ca.cert, ...pki.server },
    signagePointMs: 300,
    plotsPerHarvester: 120,
  });
  port = await farmer.start();
});
afterAll(() => farmer.stop());

let n = 0;
/** Each test its own URL (a path prefix), so the signage-point memory of one does not leak. */
const check = (extra: object = {}) =>
  CheckSchema.parse({
    kind: "chia-farmer",
    url: `https://127.0.0.1:${port}/t${++n}/`,
    expectedHarvesters: 2,
    expectedPlots: 240,
    pool: true,
    signagePointMaxAgeSec: 10,
    ...files,
    ...extra,
  }) as CheckOf<"chia-farmer">;
const probe = (c: CheckOf<"chia-farmer">) => runAgentProbe(c, options, new AbortController().signal);
const verdict = (c: CheckOf<"chia-farmer">, r: ProbeResult) =>
  evaluateResult({ chain: "chia", check: c, rules: {} } as unknown as Monitor, r, { now: Date.now() })
    .verdict;
const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("chia-farmer (agent, mutual TLS)", () => {
  it("healthy: signage points arriving, both harvesters with all plots, pool points acknowledged", async () => {
    await farmer.setFault({ fault: "healthy" });
    const c = check();
    const first = await probe(c);
    expect(first.ok, first.error?.message).toBe(true);
    // The first sight of the newest signage point says nothing of its age yet.
    expect(first.facts?.validator).toMatchObject({ signagePointAgeSec: null });
    await sleep(400);
    const r = await probe(c);
    expect(r.facts?.validator).toEqual({
      chain: "chia",
      signagePointAgeSec: 0,
      harvesters: 2,
      plots: 240,
      harvesterPlots: [
        { host: "10.0.0.10", plots: 120 },
        { host: "10.0.0.11", plots: 120 },
      ],
      failedToOpen: 0,
      pool: { pointsFound24h: 120, pointsAcknowledged24h: 120, errors24h: 0 },
    });
    expect(verdict(c, r)).toEqual({ state: "up", reasons: [] });
  });

  it("node up, farmer not farming: no new signage point past the limit is down, though its RPC answers", async () => {
    const c = check();
    await probe(c);
    await farmer.setFault({ fault: "no-full-node" });
    await probe(c);
    await sleep(10_500);
    const r = await probe(c);
    expect(r.ok, r.error?.message).toBe(true);
    const v = verdict(c, r);
    expect(v.state).toBe("down");
    expect(codes(v)).toEqual(["no_signage_points"]);
    expect(v.reasons[0]?.message).toMatch(
      /^no new signage point for 1\d s: the farmer has lost its full node$/,
    );
    await farmer.setFault({ fault: "healthy" });
  }, 20_000);

  it("a harvester that vanished: degraded, naming what is left", async () => {
    await farmer.setFault({ fault: "harvester-lost" });
    const c = check();
    const v = verdict(c, await probe(c));
    expect(v.state).toBe("degraded");
    expect(codes(v)).toEqual(["harvester_missing", "plots_missing"]);
    expect(v.reasons[1]?.message).toBe("120 of 240 plots farmed (10.0.0.10: 120)");
  });

  it("lost plots and plot files that fail to open: degraded", async () => {
    await farmer.setFault({ fault: "plots-lost" });
    const c = check();
    const v = verdict(c, await probe(c));
    expect(codes(v)).toEqual(["plots_missing", "plots_failed_to_open"]);
    expect(v.reasons[0]?.message).toBe("180 of 240 plots farmed (10.0.0.10: 60, 10.0.0.11: 120)");
  });

  it("pool errors and unacknowledged points: degraded", async () => {
    await farmer.setFault({ fault: "pool-errors" });
    const c = check();
    const v = verdict(c, await probe(c));
    expect(codes(v)).toEqual(["pool_errors", "pool_points_unacknowledged"]);
    expect(v.reasons[1]?.message).toBe("the pool acknowledged 0 of 120 points found in 24 h");
    await farmer.setFault({ fault: "healthy" });
  });

  it("a client certificate from another CA is refused: unknown, never down", async () => {
    const c = check({ certFile: pemFile(pki.stranger.cert), keyFile: pemFile(pki.stranger.key) });
    const r = await probe(c);
    expect(r.ok).toBe(false);
    expect(verdict(c, r).state).toBe("unknown");
  });

  it("config: https only, TLS files required, the fault body names its field", async () => {
    expect(
      CheckSchema.safeParse({ kind: "chia-farmer", url: "http://127.0.0.1:8559", ...files }).success,
    ).toBe(false);
    const noFiles = CheckSchema.safeParse({ kind: "chia-farmer", url: "https://127.0.0.1:8559" });
    expect(noFiles.error?.issues[0]?.path).toEqual(["chiaRoot"]);
    expect(() => farmer.setFault({ fault: "melted" })).toThrow(/^fault: expected one of healthy/);
  });
});
