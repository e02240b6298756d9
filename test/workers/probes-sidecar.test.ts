import { afterEach, describe, expect, inject, it } from "vitest";
import { evaluateCasper } from "../../src/core/chains/casper/evaluate.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import { stateFromReasons } from "../../src/core/evaluate.ts";
import { CasperSidecarAdminCheckSchema } from "../../src/core/kinds/casper-sidecar-admin.ts";
import { CasperSidecarEventsCheckSchema } from "../../src/core/kinds/casper-sidecar-events.ts";
import { CasperSidecarRestCheckSchema } from "../../src/core/kinds/casper-sidecar-rest.ts";
import { type ProbeResult, ProbeResultSchema } from "../../src/core/result.ts";
import type { ProbeOptions } from "../../src/probes/contract.ts";
import { FleetControl } from "../../src/sim/control-client.ts";
import type { FaultSpec, SimNodeInfo } from "../../src/sim/types.ts";
import { runProbe } from "../../src/worker/run-probe.ts";

// The Casper event sidecar's three probes against the simulated node side-20 (2.0 with a
// sidecar, block time 1 s). This file owns side-20; probes-metrics.test.ts owns side-x, so the
// two files can run in parallel. Every test heals the node afterwards.

const fleet = inject("fleet");
const control = new FleetControl(fleet.controlUrl);
const ID = "side-20";
const UA = "chain-uptime-test/1 (vantage-a)";
const SLACK_MS = 400;

const n: SimNodeInfo = (() => {
  const found = fleet.nodes.find((x) => x.id === ID);
  if (!found) throw new Error(`fleet has no ${ID}`);
  return found;
})();
const at = (port: number | undefined, path = "") => `http://${n.host}:${port}${path}`;

const eventsCheck = (extra: object = {}, url = at(n.ports.sidecarSse, "/events")) =>
  CasperSidecarEventsCheckSchema.parse({
    kind: "casper-sidecar-events",
    url,
    apiVersionWithinMs: 1500,
    blockWithinMs: 2500,
    ...extra,
  });
const restCheck = (extra: object = {}, url = at(n.ports.sidecarRest)) =>
  CasperSidecarRestCheckSchema.parse({ kind: "casper-sidecar-rest", url, ...extra });
const adminCheck = (extra: object = {}, url = at(n.ports.sidecarAdmin, "/metrics")) =>
  CasperSidecarAdminCheckSchema.parse({ kind: "casper-sidecar-admin", url, ...extra });

const opts = (timeoutMs = 4000, userAgent = UA): ProbeOptions => ({ timeoutMs, userAgent });

/** Runs a probe and holds its result to the contract runProbe enforces: the schema, no target in messages. */
async function run<C>(
  probe: (check: C, options: ProbeOptions, signal: AbortSignal) => Promise<ProbeResult>,
  check: C,
  options = opts(),
): Promise<ProbeResult & { tookMs: number }> {
  const started = Date.now();
  const result = await probe(check, options, new AbortController().signal);
  const tookMs = Date.now() - started;
  expect(ProbeResultSchema.safeParse(result).success).toBe(true);
  const msg = result.error?.message ?? "";
  expect(msg).not.toContain(n.host);
  for (const p of Object.values(n.ports)) expect(msg).not.toContain(`:${p}`);
  return { ...result, tookMs };
}
const events = (check = eventsCheck(), o = opts()) => run(runProbe, check, o);
const rest = (check = restCheck(), o = opts()) => run(runProbe, check, o);
const admin = (check = adminCheck(), o = opts()) => run(runProbe, check, o);

const fault = (spec: FaultSpec) => control.setFault(ID, spec);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Block time 1 s: stale after 2 s, stalled after 2 s. */
const rules = ChainRulesSchema.parse({ blockTimeSec: 0.5 });

afterEach(async () => {
  await control.heal(ID);
});

describe("casper-sidecar-events", () => {
  it("healthy: SidecarVersion, then the node's ApiVersion and a relayed BlockAdded; streams cancelled", async () => {
    const r = await events();
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts).toMatchObject({ version: "2.0.0", vendor: "casper-sidecar 1.1.0", blockSeen: true });
    expect(r.facts?.height).toBeGreaterThanOrEqual(5000);
    expect(Date.now() - (r.facts?.lastBlockAt ?? 0)).toBeLessThan(3000);
    expect(r.tookMs).toBeLessThan(2500);
    await sleep(200);
    expect((await control.stats(ID)).inFlight).toBe(0);
    expect(evaluateCasper(r.facts ?? {}, rules, { now: Date.now() }).reasons).toEqual([]);
  });

  it.each(["refusing", "hung", "sidecar-disconnected"] as const)(
    "%s: the sidecar stays up but relays no block → ok, blockSeen false (degraded)",
    async (f) => {
      await fault({ fault: f });
      const r = await events(eventsCheck({ blockWithinMs: 1500 }));
      expect(r.ok, r.error?.message).toBe(true);
      expect(r.facts).toMatchObject({
        version: "2.0.0",
        vendor: "casper-sidecar 1.1.0",
        blockSeen: false,
        events: 1,
      });
      expect(r.tookMs).toBeGreaterThanOrEqual(1400);
      expect(r.tookMs).toBeLessThan(1500 + SLACK_MS);
      const reasons = evaluateCasper(r.facts ?? {}, rules, { now: Date.now() }).reasons;
      expect(stateFromReasons(reasons, false)).toBe("degraded");
    },
  );

  it("sidecar-down → refused", async () => {
    await fault({ fault: "sidecar-down" });
    const r = await events();
    expect(r.error).toEqual({ kind: "refused", message: "connection refused" });
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("garbage → protocol", async () => {
    await fault({ fault: "garbage" });
    expect((await events()).error).toEqual({ kind: "protocol", message: "event 1 is not JSON" });
  });

  it("huge (one endless line) → too_large, quickly", async () => {
    await fault({ fault: "huge" });
    const r = await events(eventsCheck({ maxBytes: 1_048_576 }));
    expect(r.error?.kind).toBe("too_large");
    expect(r.error?.message).toMatch(/exceeds 1048576/);
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("slow beyond apiVersionWithinMs → timeout naming SidecarVersion; within it → ok, latency ≥ delay", async () => {
    await fault({ fault: "slow", delayMs: 1500 });
    const late = await events(eventsCheck({ apiVersionWithinMs: 700 }));
    expect(late.error).toEqual({ kind: "timeout", message: "no SidecarVersion within 700 ms" });
    expect(late.tookMs).toBeLessThan(700 + SLACK_MS);
    await fault({ fault: "slow", delayMs: 400 });
    const r = await events(eventsCheck({ blockWithinMs: 3000 }));
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(390);
  });

  it("a timeout shorter than the block window → ok with blockSeen false, never past the deadline", async () => {
    await fault({ fault: "sidecar-disconnected" });
    const r = await events(eventsCheck({ blockWithinMs: 5000 }), opts(1200));
    expect(r.facts?.blockSeen).toBe(false);
    expect(r.tookMs).toBeLessThan(1200 + SLACK_MS);
  });

  it("pointed at the node's own event port → HTTP 404 saying it is not a sidecar", async () => {
    const r = await events(eventsCheck({}, at(n.ports.sse, "/events")));
    expect(r.error).toEqual({
      kind: "http_status",
      message: "HTTP 404 for /events/sidecar: not a Casper event sidecar (a node's own event port?)",
      httpStatus: 404,
    });
  });

  it("a per-User-Agent disconnect is seen only by the matching vantage", async () => {
    await fault({ fault: "sidecar-disconnected", userAgentContains: "vantage-b" });
    const [a, b] = await Promise.all([
      events(eventsCheck({ blockWithinMs: 2500 }), opts(4000, "x (vantage-a)")),
      events(eventsCheck({ blockWithinMs: 2500 }), opts(4000, "x (vantage-b)")),
    ]);
    expect(a.facts?.blockSeen).toBe(true);
    expect(b.facts?.blockSeen).toBe(false);
  });
});

describe("casper-sidecar-rest", () => {
  it("healthy: the latest block's height, time and protocol version", async () => {
    const r = await rest();
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts).toMatchObject({ version: "2.0.0" });
    expect(r.facts?.height).toBeGreaterThanOrEqual(5000);
    expect(Date.now() - (r.facts?.lastBlockAt ?? 0)).toBeLessThan(2500);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(evaluateCasper(r.facts ?? {}, rules, { now: Date.now() }).reasons).toEqual([]);
  });

  it("accepts the base URL with a trailing slash, or /block itself", async () => {
    expect((await rest(restCheck({}, at(n.ports.sidecarRest, "/")))).ok).toBe(true);
    expect((await rest(restCheck({}, at(n.ports.sidecarRest, "/block")))).ok).toBe(true);
  });

  it.each(["refusing", "sidecar-disconnected"] as const)(
    "%s: /block answers but stops moving → stale and stalled (degraded, not up)",
    async (f) => {
      await fault({ fault: f });
      const first = await rest();
      expect(first.ok, first.error?.message).toBe(true);
      const e1 = evaluateCasper(first.facts ?? {}, rules, { now: Date.now() });
      await sleep(2300);
      const second = await rest();
      expect(second.facts?.height).toBe(first.facts?.height);
      expect(second.facts?.lastBlockAt).toBe(first.facts?.lastBlockAt);
      const e2 = evaluateCasper(second.facts ?? {}, rules, { now: Date.now(), previous: e1.memory });
      expect(e2.reasons.map((r) => r.code)).toEqual(["stale_block", "stalled"]);
      expect(stateFromReasons(e2.reasons, false)).toBe("degraded");
    },
  );

  it("sidecar-down → refused", async () => {
    await fault({ fault: "sidecar-down" });
    expect((await rest()).error).toEqual({ kind: "refused", message: "connection refused" });
  });

  it("garbage → bad_body; huge → too_large, quickly", async () => {
    await fault({ fault: "garbage" });
    expect((await rest()).error).toEqual({
      kind: "bad_body",
      message: 'body is not JSON (starts with "<html>")',
    });
    await fault({ fault: "huge" });
    const r = await rest();
    expect(r.error).toEqual({ kind: "too_large", message: "body exceeds 2097152 bytes" });
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("slow beyond the timeout → timeout within the deadline; within it → ok", async () => {
    await fault({ fault: "slow", delayMs: 1500 });
    const late = await rest(restCheck(), opts(700));
    expect(late.error).toEqual({
      kind: "timeout",
      message: "timed out waiting for a response: nothing within 700 ms",
    });
    expect(late.tookMs).toBeLessThan(700 + SLACK_MS);
    await fault({ fault: "slow", delayMs: 300 });
    const r = await rest();
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it("a wrong base path → the sidecar's HTTP 400 with its reason", async () => {
    const r = await rest(restCheck({}, at(n.ports.sidecarRest, "/v1")));
    expect(r.error).toEqual({
      kind: "http_status",
      message: "HTTP 400: Invalid request path provided",
      httpStatus: 400,
    });
  });
});

describe("casper-sidecar-admin", () => {
  it("healthy: node_statuses 2, memory and errors as metrics", async () => {
    const r = await admin();
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.sidecarNodeStatus).toBe(2);
    expect(r.facts?.metrics).toMatchObject({
      node_statuses: 2,
      process_resident_memory_bytes: expect.any(Number),
    });
    expect(evaluateCasper(r.facts ?? {}, rules, { now: Date.now() }).reasons).toEqual([]);
  });

  it.each(["refusing", "hung", "sidecar-disconnected"] as const)(
    "%s: node_statuses 3 → degraded, reason named; healed → 2",
    async (f) => {
      await fault({ fault: f });
      const r = await admin();
      expect(r.ok, r.error?.message).toBe(true);
      expect(r.facts?.sidecarNodeStatus).toBe(3);
      expect(r.facts?.metrics?.error_counts).toBeGreaterThanOrEqual(1);
      const reasons = evaluateCasper(r.facts ?? {}, rules, { now: Date.now() }).reasons;
      expect(reasons).toEqual([
        {
          code: "sidecar_reconnecting",
          severity: "warn",
          message: "sidecar is reconnecting to its node (node_statuses 3)",
        },
      ]);
      await control.heal(ID);
      expect((await admin()).facts?.sidecarNodeStatus).toBe(2);
    },
  );

  it("the configured node's series, or a protocol failure naming the mismatch", async () => {
    const mine = await admin(adminCheck({ node: `${n.host}:${n.ports.sse}` }));
    expect(mine.facts?.sidecarNodeStatus).toBe(2);
    const other = await admin(adminCheck({ node: "192.0.2.1:9999" }));
    expect(other.error).toEqual({
      kind: "protocol",
      message: "no node_statuses series for the configured node (the page has 1)",
    });
  });

  it("sidecar-down → refused; garbage → bad_body naming the line; huge → too_large", async () => {
    await fault({ fault: "sidecar-down" });
    expect((await admin()).error?.kind).toBe("refused");
    await fault({ fault: "garbage" });
    expect((await admin()).error).toEqual({
      kind: "bad_body",
      message: "not Prometheus text: line 1: expected a metric name, found '<'",
    });
    await fault({ fault: "huge" });
    const r = await admin();
    expect(r.error).toEqual({ kind: "too_large", message: "body exceeds 1048576 bytes" });
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("slow beyond the timeout → timeout within the deadline", async () => {
    await fault({ fault: "slow", delayMs: 1500 });
    const r = await admin(adminCheck(), opts(700));
    expect(r.error?.kind).toBe("timeout");
    expect(r.tookMs).toBeLessThan(700 + SLACK_MS);
  });

  it("pointed at the node's /metrics → protocol: no node_statuses", async () => {
    const r = await admin(adminCheck({}, at(n.ports.rest, "/metrics")));
    expect(r.error).toEqual({
      kind: "protocol",
      message: "no node_statuses gauge on this page (not a Casper sidecar's admin /metrics?)",
    });
  });

  it("a per-User-Agent disconnect is seen only by the matching vantage", async () => {
    await fault({ fault: "sidecar-disconnected", userAgentContains: "vantage-b" });
    expect((await admin(adminCheck(), opts(3000, "x (vantage-a)"))).facts?.sidecarNodeStatus).toBe(2);
    expect((await admin(adminCheck(), opts(3000, "x (vantage-b)"))).facts?.sidecarNodeStatus).toBe(3);
  });
});
