import { afterEach, describe, expect, inject, it } from "vitest";
import { type CheckOf, CheckSchema } from "../../src/core/kinds/index.ts";
import type { ProbeResult } from "../../src/core/result.ts";
import type { ProbeOptions } from "../../src/probes/index.ts";
import { FleetControl } from "../../src/sim/control-client.ts";
import type { FaultSpec, SimNodeInfo } from "../../src/sim/types.ts";
import { runProbe } from "../../src/worker/run-probe.ts";

// The REST, RPC and SSE probes against simulated nodes probe-20 (2.0) and probe-15 (1.5), block
// time 1 s. This file owns those two nodes; every test heals them afterwards.

const fleet = inject("fleet");
const control = new FleetControl(fleet.controlUrl);
const NODES = ["probe-20", "probe-15"] as const;
const UA = "chain-uptime-test/1 (vantage-a)";
/** Timer slack on top of a deadline: workerd, loopback and the simulator's own timers. */
const SLACK_MS = 400;

function node(id: (typeof NODES)[number]): SimNodeInfo {
  const n = fleet.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`fleet has no ${id}`);
  return n;
}
const n20 = node("probe-20");
const n15 = node("probe-15");
const base = (n: SimNodeInfo, port: "rest" | "rpc" | "sse") => `http://${n.host}:${n.ports[port]}`;

const rest = (n: SimNodeInfo, extra: object = {}, path = "/status") =>
  CheckSchema.parse({ kind: "casper-rest", url: base(n, "rest") + path, ...extra }) as CheckOf<"casper-rest">;
const rpc = (n: SimNodeInfo, extra: object = {}, path = "/rpc") =>
  CheckSchema.parse({ kind: "casper-rpc", url: base(n, "rpc") + path, ...extra }) as CheckOf<"casper-rpc">;
const ssePath = (n: SimNodeInfo) => (n.version === "1.5" ? "/events/main" : "/events");
const sse = (n: SimNodeInfo, extra: object = {}, path = ssePath(n)) =>
  CheckSchema.parse({
    kind: "casper-sse",
    url: base(n, "sse") + path,
    apiVersionWithinMs: 1500,
    blockWithinMs: 3000,
    ...extra,
  }) as CheckOf<"casper-sse">;

const opts = (timeoutMs = 4000, userAgent = UA): ProbeOptions => ({ timeoutMs, userAgent });

async function probe(
  check: Parameters<typeof runProbe>[0],
  options = opts(),
  signal = new AbortController().signal,
): Promise<ProbeResult & { tookMs: number }> {
  const started = Date.now();
  const result = await runProbe(check, options, signal);
  return { ...result, tookMs: Date.now() - started };
}

const fault = (id: string, spec: FaultSpec) => control.setFault(id, spec);

/** No message may reveal where the node lives. */
function expectRedacted(r: ProbeResult, n: SimNodeInfo) {
  const msg = r.error?.message ?? "";
  expect(msg).not.toContain(n.host);
  for (const p of Object.values(n.ports)) expect(msg).not.toContain(`:${p}`);
  expect(msg).not.toMatch(/https?:\/\//);
}

afterEach(async () => {
  await Promise.all(NODES.map((id) => control.heal(id)));
});

describe.each([n20, n15])("casper-rest on $id", (n) => {
  it("healthy: status facts", async () => {
    const r = await probe(rest(n));
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts).toMatchObject({
      syncState: "KeepUp",
      chainName: "casper-sim",
      version: n.version === "2.0" ? "2.0.0" : "1.5.8",
      upgrade: null,
      peers: expect.any(Number),
    });
    expect(r.facts?.height).toBeGreaterThanOrEqual(5000);
    expect(Date.now() - (r.facts?.lastBlockAt ?? 0)).toBeLessThan(5000);
    expect(r.latencyMs).toBeLessThan(1000);
  });

  it("refusing → refused", async () => {
    await fault(n.id, { fault: "refusing" });
    const r = await probe(rest(n));
    expect(r.error).toEqual({ kind: "refused", message: "connection refused" });
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("hung → timeout within the deadline", async () => {
    await fault(n.id, { fault: "hung" });
    const r = await probe(rest(n), opts(800));
    expect(r.error).toEqual({
      kind: "timeout",
      message: "timed out waiting for a response: nothing within 800 ms",
    });
    expect(r.phase).toBe("response"); // accepted, never answered: a dead process
    expect(r.timings ?? {}).toEqual({});
    expect(r.tookMs).toBeGreaterThanOrEqual(750);
    expect(r.tookMs).toBeLessThan(800 + SLACK_MS);
  });

  it("drip (headers, then a body that never ends) → timeout in the body phase, saying when headers came", async () => {
    await fault(n.id, { fault: "drip", delayMs: 100 });
    const r = await probe(rest(n), opts(800));
    expect(r.phase).toBe("body"); // an application stuck mid-response
    expect(r.error?.kind).toBe("timeout");
    expect(r.error?.message).toMatch(/^timed out reading the body after 800 ms \(headers after \d+ ms\)$/);
    const headersAfter = Number(/headers after (\d+) ms/.exec(r.error?.message ?? "")?.[1]);
    expect(r.timings?.responseMs).toBe(headersAfter);
    expect(headersAfter).toBeLessThan(400);
    expect(r.tookMs).toBeLessThan(800 + SLACK_MS);
  });

  it("a healthy probe reports the time of each phase", async () => {
    const r = await probe(rest(n));
    expect(r.ok).toBe(true);
    expect(r.phase).toBeUndefined();
    expect(r.timings?.responseMs).toBe(r.latencyMs);
    expect(r.timings?.bodyMs).toBeGreaterThanOrEqual(r.timings?.responseMs ?? 0);
  });

  it("garbage → bad_body", async () => {
    await fault(n.id, { fault: "garbage" });
    const r = await probe(rest(n));
    expect(r.error).toEqual({ kind: "bad_body", message: 'body is not JSON (starts with "<html>")' });
  });

  it("huge (16 MiB) → too_large, quickly", async () => {
    await fault(n.id, { fault: "huge" });
    const r = await probe(rest(n));
    expect(r.error).toEqual({ kind: "too_large", message: "body exceeds 1048576 bytes" });
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("slow beyond the timeout → timeout; within it → ok with latency ≥ delay", async () => {
    await fault(n.id, { fault: "slow", delayMs: 1500 });
    const late = await probe(rest(n), opts(700));
    expect(late.error?.kind).toBe("timeout");
    expect(late.tookMs).toBeLessThan(700 + SLACK_MS);

    await fault(n.id, { fault: "slow", delayMs: 400 });
    const r = await probe(rest(n), opts(3000));
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(390);
  });

  it("wrong path → HTTP 404", async () => {
    const r = await probe(rest(n, {}, "/nope"));
    expect(r.error).toEqual({ kind: "http_status", message: "HTTP 404", httpStatus: 404 });
  });

  it("CatchUp shows in the facts", async () => {
    await fault(n.id, { fault: "catchup" });
    const r = await probe(rest(n));
    expect(r.ok).toBe(true);
    expect(r.facts?.syncState).toBe("CatchUp");
  });

  it("a scheduled upgrade shows in the facts", async () => {
    await fault(n.id, { fault: "upgrade" });
    const r = await probe(rest(n));
    expect(r.facts?.upgrade).toEqual({
      activationPoint: expect.stringMatching(/^\d+$/),
      protocolVersion: "2.0.1",
    });
  });

  it("a per-User-Agent fault is seen only by the matching vantage", async () => {
    await fault(n.id, { fault: "refusing", userAgentContains: "vantage-b" });
    const a = await probe(rest(n), opts(3000, "chain-uptime-test/1 (vantage-a)"));
    const b = await probe(rest(n), opts(3000, "chain-uptime-test/1 (vantage-b)"));
    expect(a.ok, a.error?.message).toBe(true);
    expect(b.error?.kind).toBe("refused");
    const stats = await control.stats(n.id);
    expect(stats.userAgents).toEqual(expect.arrayContaining([expect.stringContaining("vantage-a")]));
  });

  it("a JSON answer that is not a status → protocol naming what is wrong", async () => {
    // The fleet's control server answers GET /nodes with a JSON array: valid JSON, not a status.
    const r = await probe(
      CheckSchema.parse({ kind: "casper-rest", url: `${fleet.controlUrl}/nodes` }) as CheckOf<"casper-rest">,
    );
    expect(r.error).toEqual({
      kind: "protocol",
      message: "not a Casper status: (root): expected object, received array",
    });
  });
});

describe.each([n20, n15])("casper-rpc on $id", (n) => {
  it("healthy: status facts with the latest block merged in", async () => {
    const r = await probe(rpc(n));
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts).toMatchObject({ syncState: "KeepUp", chainName: "casper-sim", upgrade: null });
    expect(r.facts?.height).toBeGreaterThanOrEqual(5000);
    expect(Date.now() - (r.facts?.lastBlockAt ?? 0)).toBeLessThan(5000);
  });

  it("rpc-error → protocol with code and message", async () => {
    await fault(n.id, { fault: "rpc-error" });
    const r = await probe(rpc(n));
    expect(r.error).toEqual({
      kind: "protocol",
      message: "info_get_status: JSON-RPC error -32603: Internal error (simulated node failure)",
    });
  });

  it("refusing → refused", async () => {
    await fault(n.id, { fault: "refusing" });
    expect((await probe(rpc(n))).error?.kind).toBe("refused");
  });

  it("hung → timeout within the deadline", async () => {
    await fault(n.id, { fault: "hung" });
    const r = await probe(rpc(n), opts(800));
    expect(r.error?.kind).toBe("timeout");
    expect(r.tookMs).toBeLessThan(800 + SLACK_MS);
  });

  it("slow: both calls share one deadline", async () => {
    // Each call is delayed 600 ms: one fits in 1000 ms, two do not.
    await fault(n.id, { fault: "slow", delayMs: 600 });
    const r = await probe(rpc(n), opts(1000));
    expect(r.error).toEqual({
      kind: "timeout",
      message: "timed out waiting for a response: nothing within 1000 ms",
    });
    expect(r.tookMs).toBeLessThan(1000 + SLACK_MS);

    const ok = await probe(rpc(n), opts(3000));
    expect(ok.ok, ok.error?.message).toBe(true);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(590);
  });

  it("garbage → bad_body; huge → too_large, quickly", async () => {
    await fault(n.id, { fault: "garbage" });
    expect((await probe(rpc(n))).error?.kind).toBe("bad_body");
    await fault(n.id, { fault: "huge" });
    const r = await probe(rpc(n));
    expect(r.error).toEqual({ kind: "too_large", message: "body exceeds 2097152 bytes" });
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("wrong path → HTTP 404", async () => {
    const r = await probe(rpc(n, {}, "/"));
    expect(r.error).toEqual({ kind: "http_status", message: "HTTP 404", httpStatus: 404 });
  });

  it("CatchUp and upgrade show in the facts", async () => {
    await fault(n.id, { fault: "catchup" });
    expect((await probe(rpc(n))).facts?.syncState).toBe("CatchUp");
    await fault(n.id, { fault: "upgrade" });
    expect((await probe(rpc(n))).facts?.upgrade?.protocolVersion).toBe("2.0.1");
  });

  it("a per-User-Agent fault is seen only by the matching vantage", async () => {
    await fault(n.id, { fault: "rpc-error", userAgentContains: "vantage-b" });
    expect((await probe(rpc(n), opts(3000, "x (vantage-a)"))).ok).toBe(true);
    expect((await probe(rpc(n), opts(3000, "x (vantage-b)"))).error?.kind).toBe("protocol");
  });

  it("pointed at the REST port → HTTP 405", async () => {
    const r = await probe(
      CheckSchema.parse({ kind: "casper-rpc", url: `${base(n, "rest")}/status` }) as CheckOf<"casper-rpc">,
    );
    // The REST port does not take POST; a real misconfiguration shows up as HTTP 405.
    expect(r.error?.kind).toBe("http_status");
  });
});

describe.each([n20, n15])("casper-sse on $id", (n) => {
  it("healthy: ApiVersion, then a BlockAdded; the stream is cancelled", async () => {
    const r = await probe(sse(n));
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts).toMatchObject({ version: n.version === "2.0" ? "2.0.0" : "1.5.8", blockSeen: true });
    expect(r.facts?.height).toBeGreaterThanOrEqual(5000);
    expect(r.facts?.events).toBeGreaterThanOrEqual(2);
    // Block time is 1 s: the answer comes long before blockWithinMs.
    expect(r.tookMs).toBeLessThan(2500);
    // The stream was cancelled, not left open: the node sees no subscriber in flight.
    await new Promise((res) => setTimeout(res, 200));
    expect((await control.stats(n.id)).inFlight).toBe(0);
  });

  it("endless-sse → ok, blockSeen false after blockWithinMs", async () => {
    await fault(n.id, { fault: "endless-sse" });
    const r = await probe(sse(n, { blockWithinMs: 1500 }));
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.blockSeen).toBe(false);
    expect(r.facts?.events).toBeGreaterThan(1);
    expect(r.tookMs).toBeGreaterThanOrEqual(1400);
    expect(r.tookMs).toBeLessThan(1500 + SLACK_MS);
  });

  it("refusing → refused", async () => {
    await fault(n.id, { fault: "refusing" });
    expect((await probe(sse(n))).error?.kind).toBe("refused");
  });

  it("hung → timeout at apiVersionWithinMs", async () => {
    await fault(n.id, { fault: "hung" });
    const r = await probe(sse(n, { apiVersionWithinMs: 800 }));
    expect(r.error).toEqual({ kind: "timeout", message: "no ApiVersion within 800 ms" });
    expect(r.tookMs).toBeLessThan(800 + SLACK_MS);
  });

  it("garbage → protocol", async () => {
    await fault(n.id, { fault: "garbage" });
    const r = await probe(sse(n));
    expect(r.error).toEqual({ kind: "protocol", message: "event 1 is not JSON" });
  });

  it("huge (one endless line) → too_large, quickly", async () => {
    await fault(n.id, { fault: "huge" });
    const r = await probe(sse(n, { maxBytes: 1_048_576 }));
    expect(r.error?.kind).toBe("too_large");
    expect(r.error?.message).toMatch(/exceeds 1048576/);
    expect(r.tookMs).toBeLessThan(2000);
  });

  it("slow beyond apiVersionWithinMs → timeout; within it → ok with latency ≥ delay", async () => {
    await fault(n.id, { fault: "slow", delayMs: 1500 });
    expect((await probe(sse(n, { apiVersionWithinMs: 700 }))).error?.kind).toBe("timeout");
    await fault(n.id, { fault: "slow", delayMs: 400 });
    const r = await probe(sse(n));
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(390);
  });

  it("wrong path → HTTP 404", async () => {
    const wrong = n.version === "1.5" ? "/events" : "/events/main";
    const r = await probe(sse(n, {}, wrong));
    expect(r.error).toEqual({ kind: "http_status", message: "HTTP 404", httpStatus: 404 });
  });

  it("a non-stream endpoint → protocol", async () => {
    const r = await probe(
      CheckSchema.parse({ kind: "casper-sse", url: `${base(n, "rest")}/status` }) as CheckOf<"casper-sse">,
    );
    expect(r.error).toEqual({
      kind: "protocol",
      message: 'not an event stream (content-type "application/json")',
    });
  });

  it("a per-User-Agent fault is seen only by the matching vantage", async () => {
    await fault(n.id, { fault: "endless-sse", userAgentContains: "vantage-b" });
    const [a, b] = await Promise.all([
      probe(sse(n, { blockWithinMs: 2500 }), opts(4000, "x (vantage-a)")),
      probe(sse(n, { blockWithinMs: 2500 }), opts(4000, "x (vantage-b)")),
    ]);
    expect(a.facts?.blockSeen).toBe(true);
    expect(b.facts?.blockSeen).toBe(false);
  });
});

describe("messages never carry the target", () => {
  it.each([
    ["refusing", (n: SimNodeInfo) => rest(n, {}, "/status?key=SECRET")],
    ["hung", (n: SimNodeInfo) => rpc(n, {}, "/rpc?key=SECRET")],
    ["garbage", (n: SimNodeInfo) => sse(n)],
  ] as const)("%s", async (f, make) => {
    await fault(n20.id, { fault: f });
    const r = await probe(make(n20), opts(800));
    expect(r.ok).toBe(false);
    expectRedacted(r, n20);
    expect(r.error?.message).not.toContain("SECRET");
  });
});
