import { afterEach, describe, expect, inject, it } from "vitest";
import { evaluateCasper } from "../../src/core/chains/casper/evaluate.ts";
import { metricReasons } from "../../src/core/chains/casper/metric-rules.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import { CasperMetricsCheckSchema } from "../../src/core/kinds/casper-metrics.ts";
import { type ProbeResult, ProbeResultSchema } from "../../src/core/result.ts";
import type { ProbeOptions } from "../../src/probes/contract.ts";
import { FleetControl } from "../../src/sim/control-client.ts";
import type { FaultSpec, SimNodeInfo } from "../../src/sim/types.ts";
import { runProbe } from "../../src/worker/run-probe.ts";

// The casper-metrics probe against the REST /metrics of the simulated node side-x (2.0 with a
// sidecar, block time 1 s). This file owns side-x; probes-sidecar.test.ts owns side-20, so the
// two files can run in parallel. Every test heals the node afterwards.

const fleet = inject("fleet");
const control = new FleetControl(fleet.controlUrl);
const ID = "side-x";
const UA = "chain-uptime-test/1 (vantage-a)";
const SLACK_MS = 400;

const n: SimNodeInfo = (() => {
  const found = fleet.nodes.find((x) => x.id === ID);
  if (!found) throw new Error(`fleet has no ${ID}`);
  return found;
})();
const metricsUrl = `http://${n.host}:${n.ports.rest}/metrics`;

const check = (extra: object = {}, url = metricsUrl) =>
  CasperMetricsCheckSchema.parse({ kind: "casper-metrics", url, ...extra });
const opts = (timeoutMs = 4000, userAgent = UA): ProbeOptions => ({ timeoutMs, userAgent });

async function probe(c = check(), options = opts()): Promise<ProbeResult & { tookMs: number }> {
  const started = Date.now();
  const result = await runProbe(c, options, new AbortController().signal);
  const tookMs = Date.now() - started;
  // What runProbe enforces: the schema, and no target in messages.
  expect(ProbeResultSchema.safeParse(result).success).toBe(true);
  const msg = result.error?.message ?? "";
  expect(msg).not.toContain(n.host);
  for (const p of Object.values(n.ports)) expect(msg).not.toContain(`:${p}`);
  return { ...result, tookMs };
}

const fault = (spec: FaultSpec) => control.setFault(ID, spec);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rules = ChainRulesSchema.parse({ blockTimeSec: 0.5 });

afterEach(async () => {
  await control.heal(ID);
});

describe("casper-metrics", () => {
  it("healthy: the Casper gauges, normalised height, peers and last block time", async () => {
    const r = await probe();
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.metrics).toEqual({
      peers: 5,
      highest_available_block_height: expect.any(Number),
      time_of_last_finalized_block: expect.any(Number),
      consensus_current_era: expect.any(Number),
    });
    expect(r.facts?.height).toBe(r.facts?.metrics?.highest_available_block_height);
    expect(r.facts?.height).toBeGreaterThanOrEqual(5000);
    expect(r.facts?.peers).toBe(5);
    expect(Date.now() - (r.facts?.lastBlockAt ?? 0)).toBeLessThan(2500);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(evaluateCasper(r.facts ?? {}, rules, { now: Date.now() }).reasons).toEqual([]);
  });

  it("gauges named in the check are kept, and their bounds give reasons", async () => {
    const gauges = { lowest_available_block_height: { max: 0 }, peers: { min: 6 }, not_there: { min: 1 } };
    const r = await probe(check({ gauges }));
    expect(r.facts?.metrics).toMatchObject({ lowest_available_block_height: 0, peers: 5 });
    expect(metricReasons(r.facts?.metrics, gauges).map((x) => x.message)).toEqual([
      "peers = 5 (minimum 6)",
      "gauge not_there is missing from /metrics (or not a number)",
    ]);
  });

  it("metrics-unavailable → http_status with the node's reason", async () => {
    await fault({ fault: "metrics-unavailable" });
    const r = await probe();
    expect(r.error).toEqual({
      kind: "http_status",
      message: "HTTP 500: metrics not available",
      httpStatus: 500,
    });
  });

  it("stalled: the height stops and the last block ages → stalled and stale", async () => {
    await fault({ fault: "stalled" });
    const first = await probe();
    const e1 = evaluateCasper(first.facts ?? {}, rules, { now: Date.now() });
    await sleep(2300);
    const second = await probe();
    expect(second.facts?.height).toBe(first.facts?.height);
    const e2 = evaluateCasper(second.facts ?? {}, rules, { now: Date.now(), previous: e1.memory });
    expect(e2.reasons.map((x) => x.code)).toEqual(["stale_block", "stalled"]);
  });

  it("refusing → refused", async () => {
    await fault({ fault: "refusing" });
    const r = await probe();
    expect(r.error).toEqual({ kind: "refused", message: "connection refused" });
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("hung → timeout within the deadline", async () => {
    await fault({ fault: "hung" });
    const r = await probe(check(), opts(800));
    expect(r.error).toEqual({
      kind: "timeout",
      message: "timed out waiting for a response: nothing within 800 ms",
    });
    expect(r.tookMs).toBeGreaterThanOrEqual(750);
    expect(r.tookMs).toBeLessThan(800 + SLACK_MS);
  });

  it("slow beyond the timeout → timeout; within it → ok with latency ≥ delay", async () => {
    await fault({ fault: "slow", delayMs: 1500 });
    const late = await probe(check(), opts(700));
    expect(late.error?.kind).toBe("timeout");
    expect(late.tookMs).toBeLessThan(700 + SLACK_MS);
    await fault({ fault: "slow", delayMs: 400 });
    const r = await probe();
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(390);
  });

  it("garbage (an HTML page with status 200) → bad_body naming the line", async () => {
    await fault({ fault: "garbage" });
    expect((await probe()).error).toEqual({
      kind: "bad_body",
      message: "not Prometheus text: line 1: expected a metric name, found '<'",
    });
  });

  it("huge (16 MiB) → too_large, quickly", async () => {
    await fault({ fault: "huge" });
    const r = await probe();
    expect(r.error).toEqual({ kind: "too_large", message: "body exceeds 2097152 bytes" });
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("wrong path → HTTP 404", async () => {
    const r = await probe(check({}, `http://${n.host}:${n.ports.rest}/metric`));
    expect(r.error).toEqual({ kind: "http_status", message: "HTTP 404", httpStatus: 404 });
  });

  it("Prometheus text without Casper gauges (the sidecar's admin page) → protocol", async () => {
    const r = await probe(check({}, `http://${n.host}:${n.ports.sidecarAdmin}/metrics`));
    expect(r.error).toEqual({
      kind: "protocol",
      message:
        "no Casper gauges on this page (expected peers, highest_available_block_height, time_of_last_finalized_block, consensus_current_era)",
    });
  });

  it("more series than maxSeries → too_large", async () => {
    // The sidecar's admin page has more than 10 series (its histogram alone has 11); 10 is the
    // smallest maxSeries a check may set.
    const r = await probe(check({ maxSeries: 10 }, `http://${n.host}:${n.ports.sidecarAdmin}/metrics`));
    expect(r.error?.kind).toBe("too_large");
    expect(r.error?.message).toMatch(/^not Prometheus text: line \d+: more than 10 series$/);
  });

  it("a per-User-Agent fault is seen only by the matching vantage", async () => {
    await fault({ fault: "metrics-unavailable", userAgentContains: "vantage-b" });
    expect((await probe(check(), opts(3000, "x (vantage-a)"))).ok).toBe(true);
    expect((await probe(check(), opts(3000, "x (vantage-b)"))).error?.httpStatus).toBe(500);
  });
});
