import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { evaluateNano } from "../../src/core/chains/nano/evaluate.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import type { Monitor } from "../../src/core/config/schema.ts";
import { evaluateResult } from "../../src/core/evaluate.ts";
import { NanoRpcCheckSchema } from "../../src/core/kinds/nano-rpc.ts";
import { NanoWsCheckSchema } from "../../src/core/kinds/nano-ws.ts";
import type { ProbeResult } from "../../src/core/result.ts";
import type { NanoFaultSpec, SimNanoInfo } from "../../src/sim/types.ts";
import { runProbe } from "../../src/worker/run-probe.ts";
import { control, nanoMember, opts, run, SLACK_MS, sleep } from "./member-helpers.ts";

// The nano-rpc and nano-ws probes against simulated Nano nodes (20 cemented blocks/s). This file
// owns nano-*: nano-a stays healthy (reference count, proxy cache), nano-x takes the RPC faults,
// nano-ws the WebSocket faults. Every test heals its node afterwards.

let a: SimNanoInfo;
let x: SimNanoInfo;
let w: SimNanoInfo;
beforeAll(async () => {
  [a, x, w] = await Promise.all([nanoMember("nano-a"), nanoMember("nano-x"), nanoMember("nano-ws")]);
});
afterEach(async () => {
  await Promise.all([control.heal("nano-x"), control.heal("nano-ws")]);
});

const fault = (id: string, spec: NanoFaultSpec) => control.setFault(id, spec);
const rpcCheck = (n: SimNanoInfo, extra: object = {}) =>
  NanoRpcCheckSchema.parse({ kind: "nano-rpc", url: `http://${n.host}:${n.ports.rpc}/`, ...extra });
const proxyCheck = (n: SimNanoInfo, extra: object = {}) =>
  NanoRpcCheckSchema.parse({ kind: "nano-rpc", url: `http://${n.host}:${n.ports.proxy}/proxy`, ...extra });
const wsCheck = (n: SimNanoInfo, extra: object = {}) =>
  NanoWsCheckSchema.parse({
    kind: "nano-ws",
    url: `ws://${n.host}:${n.ports.ws}`,
    pongWithinMs: 1000,
    ...extra,
  });
const ALL = ["block_count", "version", "telemetry", "peers", "confirmation_quorum"];
const rules = ChainRulesSchema.parse({ expectChainName: "live", minPeers: 3 });
/** The verdict core/evaluate.ts gives a failed probe (no chain evaluator involved). */
const stateOf = (r: ProbeResult) =>
  evaluateResult({ chain: "nano", check: { kind: "nano-rpc" }, rules } as unknown as Monitor, r, {
    now: Date.now(),
  }).verdict.state;

describe("nano-rpc on the node's own RPC", () => {
  it("healthy: every action, all values strings, parsed into facts", async () => {
    const r = await run(runProbe, rpcCheck(a, { actions: ALL }), opts(), a);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts).toMatchObject({
      chainName: "live",
      vendor: "Nano V27.1",
      version: "27.1",
      peers: 12,
      metrics: {
        protocol_version: 21,
        network_cemented: expect.any(Number),
        peers_stake_percent: expect.any(Number),
        unchecked: expect.any(Number),
      },
    });
    expect(r.facts?.height).toBeGreaterThanOrEqual(5_000_000);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(evaluateNano(r.facts ?? {}, rules, { now: Date.now() }).reasons).toEqual([]);
  });

  it("the cemented count grows between probes", async () => {
    const first = await run(runProbe, rpcCheck(a), opts(), a);
    await sleep(300);
    const second = await run(runProbe, rpcCheck(a), opts(), a);
    expect(second.facts?.height ?? 0).toBeGreaterThan(first.facts?.height ?? 0);
  });

  it("stalled: the count stands still, and the evaluator calls it after stallAfterSec", async () => {
    await fault("nano-x", { fault: "stalled" });
    const first = await run(runProbe, rpcCheck(x), opts(), x);
    await sleep(500);
    const second = await run(runProbe, rpcCheck(x), opts(), x);
    expect(second.facts?.height).toBe(first.facts?.height);
    const t0 = Date.now();
    const e1 = evaluateNano(first.facts ?? {}, rules, { now: t0 });
    const e2 = evaluateNano(second.facts ?? {}, rules, { now: t0 + 121_000, previous: e1.memory });
    expect(e2.reasons.map((reason) => reason.code)).toEqual(["stalled"]);
  });

  it("lagging: 50000 behind a healthy node of the same network → lagging", async () => {
    await fault("nano-x", { fault: "lagging" });
    const [reference, lagging] = await Promise.all([
      run(runProbe, rpcCheck(a), opts(), a),
      run(runProbe, rpcCheck(x), opts(), x),
    ]);
    const networkHeight = reference.facts?.height ?? 0;
    expect(networkHeight - (lagging.facts?.height ?? 0)).toBeGreaterThanOrEqual(49_900);
    const e = evaluateNano(lagging.facts ?? {}, rules, { now: Date.now(), networkHeight });
    expect(e.reasons.map((reason) => reason.code)).toEqual(["lagging"]);
  });

  it("lagging without a network reference: the node's peers' telemetry shows it", async () => {
    await fault("nano-x", { fault: "lagging" });
    const r = await run(runProbe, rpcCheck(x, { actions: ["block_count", "telemetry"] }), opts(), x);
    const [reason] = evaluateNano(r.facts ?? {}, rules, { now: Date.now() }).reasons;
    expect(reason?.code).toBe("lagging");
  });

  it("wrong-network → critical wrong_network", async () => {
    await fault("nano-x", { fault: "wrong-network" });
    const r = await run(runProbe, rpcCheck(x), opts(), x);
    expect(r.facts?.chainName).toBe("beta");
    expect(evaluateNano(r.facts ?? {}, rules, { now: Date.now() }).reasons).toEqual([
      {
        code: "wrong_network",
        severity: "critical",
        message: "node reports network 'beta', expected 'live'",
      },
    ]);
  });

  it("slow past the deadline → timeout, on time", async () => {
    await fault("nano-x", { fault: "slow", delayMs: 1500 });
    const r = await run(runProbe, rpcCheck(x), opts(800), x);
    expect(r.error).toEqual({
      kind: "timeout",
      message: "timed out waiting for a response: nothing within 800 ms",
    });
    expect(r.tookMs).toBeLessThan(800 + SLACK_MS);
  });

  it("refusing → refused; hung → timeout; garbage → bad_body", async () => {
    await fault("nano-x", { fault: "refusing" });
    expect((await run(runProbe, rpcCheck(x), opts(), x)).error).toEqual({
      kind: "refused",
      message: "connection refused",
    });
    await fault("nano-x", { fault: "hung" });
    expect((await run(runProbe, rpcCheck(x), opts(600), x)).error?.kind).toBe("timeout");
    await fault("nano-x", { fault: "garbage" });
    const garbage = await run(runProbe, rpcCheck(x), opts(), x);
    expect(garbage.error).toEqual({ kind: "bad_body", message: 'body is not JSON (starts with "<html>")' });
    expect(stateOf(garbage)).toBe("down");
  });

  it("a fault for one vantage leaves the other healthy", async () => {
    await fault("nano-x", { fault: "wrong-network", userAgentContains: "vantage-b" });
    const seenByA = await run(runProbe, rpcCheck(x), opts(), x);
    const seenByB = await run(runProbe, rpcCheck(x), opts(4000, "chain-uptime-test/1 (vantage-b)"), x);
    expect([seenByA.facts?.chainName, seenByB.facts?.chainName]).toEqual(["live", "beta"]);
  });
});

describe("nano-rpc through NanoRPCProxy", () => {
  it("healthy with the default actions (block_count, version)", async () => {
    const r = await run(runProbe, proxyCheck(a), opts(), a);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts).toMatchObject({ chainName: "live", version: "27.1" });
    expect(r.facts?.metrics?.proxy_requests_remaining).toBeGreaterThan(0);
  });

  it("the cached block_count stands still and is not read as a failure", async () => {
    await control.heal("nano-a"); // starts a fresh 30 s cache window
    const first = await run(runProbe, proxyCheck(a), opts(), a);
    await sleep(1200);
    const [second, direct] = await Promise.all([
      run(runProbe, proxyCheck(a), opts(), a),
      run(runProbe, rpcCheck(a), opts(), a),
    ]);
    expect(second.ok).toBe(true);
    expect(second.facts?.height).toBe(first.facts?.height); // cached
    expect(direct.facts?.height ?? 0).toBeGreaterThan(first.facts?.height ?? 0); // the node moved on
    const e1 = evaluateNano(first.facts ?? {}, rules, { now: Date.now() - 1200 });
    const e2 = evaluateNano(second.facts ?? {}, rules, { now: Date.now(), previous: e1.memory });
    expect(e2.reasons).toEqual([]);
  });

  it("an action the proxy does not allow → config (unknown, not down)", async () => {
    const r = await run(runProbe, proxyCheck(a, { actions: ["block_count", "telemetry"] }), opts(), a);
    expect(r.error).toEqual({
      kind: "config",
      message:
        'telemetry: the RPC proxy does not allow this action ("Action telemetry not allowed"); allow it in the proxy or remove it from the check\'s actions',
      httpStatus: 500,
    });
    expect(stateOf(r)).toBe("unknown");
    const peers = await run(runProbe, proxyCheck(a, { actions: ["peers"] }), opts(), a);
    expect(peers.error?.kind).toBe("config");
  });

  it("action-blocked at run time → config", async () => {
    await fault("nano-x", { fault: "action-blocked", action: "block_count" });
    const r = await run(runProbe, proxyCheck(x), opts(), x);
    expect(r.error?.kind).toBe("config");
    expect(r.error?.message).toContain('"Action block_count not allowed"');
  });

  it("rate-limited → rate_limited with the proxy's explanation (unknown, not down)", async () => {
    await fault("nano-x", { fault: "rate-limited" });
    const r = await run(runProbe, proxyCheck(x), opts(), x);
    expect(r.error?.kind).toBe("rate_limited");
    expect(r.error?.httpStatus).toBe(429);
    expect(r.error?.message).toMatch(
      /^block_count: rate limited by the RPC proxy \(HTTP 429: Max allowed requests of 5000 reached\. Time left: \d+sec\)$/,
    );
    expect(stateOf(r)).toBe("unknown");
  });

  it("a wrong path on the proxy → http_status 404", async () => {
    const check = NanoRpcCheckSchema.parse({
      kind: "nano-rpc",
      url: `http://${a.host}:${a.ports.proxy}/rpc`,
    });
    expect((await run(runProbe, check, opts(), a)).error).toEqual({
      kind: "http_status",
      message: "HTTP 404",
      httpStatus: 404,
    });
  });
});

describe("nano-ws", () => {
  it('healthy: {"action":"ping"} → {"ack":"pong"} within the window', async () => {
    const r = await run(runProbe, wsCheck(w), opts(), w);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.metrics?.pong_ms).toBeGreaterThanOrEqual(0);
    expect(r.latencyMs).toBeLessThan(1000);
    const stats = await control.memberStats("nano-ws");
    expect(stats.userAgents).toContain("chain-uptime-test/1 (vantage-a)");
  });

  it("slow pong past pongWithinMs → timeout at the window, not the deadline", async () => {
    await fault("nano-ws", { fault: "slow", delayMs: 1500 });
    const r = await run(runProbe, wsCheck(w, { pongWithinMs: 500 }), opts(4000), w);
    expect(r.error).toEqual({ kind: "timeout", message: "no pong within 500 ms" });
    expect(r.tookMs).toBeLessThan(500 + SLACK_MS);
    const patient = await run(runProbe, wsCheck(w, { pongWithinMs: 2500 }), opts(4000), w);
    expect(patient.ok, patient.error?.message).toBe(true);
  });

  it("hung: upgraded, never answers → timeout", async () => {
    await fault("nano-ws", { fault: "hung" });
    const r = await run(runProbe, wsCheck(w, { pongWithinMs: 500 }), opts(), w);
    expect(r.error).toEqual({ kind: "timeout", message: "no pong within 500 ms" });
  });

  it("garbage: a message that is not JSON → protocol", async () => {
    await fault("nano-ws", { fault: "garbage" });
    const r = await run(runProbe, wsCheck(w), opts(), w);
    expect(r.error).toEqual({
      kind: "protocol",
      message: 'answered with a message that is not JSON (starts with "<html>")',
    });
  });

  it("refusing → refused", async () => {
    await fault("nano-ws", { fault: "refusing" });
    const r = await run(runProbe, wsCheck(w), opts(), w);
    expect(r.error?.kind).toBe("refused");
  });

  it("not a WebSocket (the node's RPC port answers 200) → protocol", async () => {
    const check = NanoWsCheckSchema.parse({ kind: "nano-ws", url: `ws://${w.host}:${w.ports.rpc}/` });
    const r = await run(runProbe, check, opts(), w);
    expect(r.error).toEqual({
      kind: "protocol",
      message: "no WebSocket upgrade: HTTP 200 answered instead",
      httpStatus: 200,
    });
  });

  it("wss:// to a plain port → tls", async () => {
    const check = NanoWsCheckSchema.parse({ kind: "nano-ws", url: `wss://${w.host}:${w.ports.ws}` });
    expect((await run(runProbe, check, opts(), w)).error).toEqual({
      kind: "tls",
      message: "TLS handshake failed",
    });
  });

  it("a deadline shorter than the window still holds", async () => {
    await fault("nano-ws", { fault: "hung" });
    const r = await run(runProbe, wsCheck(w, { pongWithinMs: 5000 }), opts(600), w);
    expect(r.error?.kind).toBe("timeout");
    expect(r.tookMs).toBeLessThan(600 + SLACK_MS);
  });
});
