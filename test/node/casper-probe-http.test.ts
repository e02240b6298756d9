import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type CheckOf, CheckSchema } from "../../src/core/kinds/index.ts";
import { runNodeProbe } from "../support/node-runner.ts";

// Edge cases the simulated fleet does not produce (mismatched ids, redirects, cut bodies), with a
// stubbed fetch. The probes' behaviour against real sockets is tested in workerd
// (test/workers/probes-casper.test.ts).

const text = (name: string) => readFileSync(new URL(`../fixtures/casper/${name}`, import.meta.url), "utf8");
const fixture = (name: string) => JSON.parse(text(name)) as Record<string, unknown>;
const STATUS = fixture("casper-rpc-info_get_status-1.5.8-docexample.json").result as Record<string, unknown>;
const BLOCK_20 = fixture("casper-rpc-chain_get_block-2.0.json").result;

const URL_WITH_KEY = "https://rpc.example.com:7777/rpc?apikey=SECRET";
const rpcCheck = CheckSchema.parse({ kind: "casper-rpc", url: URL_WITH_KEY }) as CheckOf<"casper-rpc">;
const restCheck = CheckSchema.parse({
  kind: "casper-rest",
  url: "https://rest.example.com:8888/status",
}) as CheckOf<"casper-rest">;
const options = { timeoutMs: 1000, userAgent: "chain-uptime/test (weur)" };
const signal = () => new AbortController().signal;

type Answer = (req: { method: string; id: unknown }) => Response | Promise<Response>;

/** A fake JSON-RPC server: answers each call with `answer`, records the requests. */
function stubRpc(answer: Answer) {
  const calls: Array<{ init: RequestInit; body: Record<string, unknown> }> = [];
  const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    calls.push({ init, body });
    return answer({ method: String(body.method), id: body.id });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const ok = (id: unknown, result: unknown) => json({ jsonrpc: "2.0", id, result });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("casper-rpc probe (stubbed fetch)", () => {
  it("sends JSON-RPC 2.0 POSTs with our User-Agent and merges the latest block", async () => {
    const calls = stubRpc(({ method, id }) => ok(id, method === "info_get_status" ? STATUS : BLOCK_20));
    const r = await runNodeProbe(rpcCheck, options, signal());
    expect(r).toMatchObject({
      ok: true,
      facts: { height: 189, lastBlockAt: Date.parse("2024-06-05T10:55:38.908Z") },
    });
    expect(calls.map((c) => c.body.method)).toEqual(["info_get_status", "chain_get_block"]);
    const headers = new Headers(calls[0]?.init.headers);
    expect(calls[0]?.init).toMatchObject({ method: "POST", redirect: "manual" });
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("user-agent")).toBe(options.userAgent);
    expect(calls[0]?.body).toMatchObject({ jsonrpc: "2.0", id: expect.any(Number) });
  });

  it("skips chain_get_block while the node has no block", async () => {
    const calls = stubRpc(({ id }) =>
      ok(id, { ...STATUS, last_added_block_info: null, reactor_state: "CatchUp" }),
    );
    const r = await runNodeProbe(rpcCheck, options, signal());
    expect(r.ok).toBe(true);
    expect(r.facts?.height).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it("a mismatched id → protocol", async () => {
    stubRpc(() => ok(424242, STATUS));
    const r = await runNodeProbe(rpcCheck, options, signal());
    expect(r.error?.kind).toBe("protocol");
    expect(r.error?.message).toMatch(/^info_get_status: response id 424242 does not match request id \d+$/);
  });

  it("a JSON-RPC error from the second call → protocol with code and message", async () => {
    stubRpc(({ method, id }) =>
      method === "info_get_status"
        ? ok(id, STATUS)
        : json({ jsonrpc: "2.0", id, error: { code: -32001, message: "No such block" } }),
    );
    const r = await runNodeProbe(rpcCheck, options, signal());
    expect(r.error).toEqual({
      kind: "protocol",
      message: "chain_get_block: JSON-RPC error -32001: No such block",
    });
  });

  it("not JSON-RPC at all → protocol naming what is missing", async () => {
    stubRpc(() => json(STATUS));
    const r = await runNodeProbe(rpcCheck, options, signal());
    expect(r.error).toEqual({
      kind: "protocol",
      message: "info_get_status: not a JSON-RPC 2.0 response: missing jsonrpc, id",
    });
  });

  it("neither result nor error → protocol", async () => {
    stubRpc(({ id }) => json({ jsonrpc: "2.0", id }));
    const r = await runNodeProbe(rpcCheck, options, signal());
    expect(r.error?.message).toBe("info_get_status: response has neither result nor error");
  });

  it("a result that is not a status → protocol", async () => {
    stubRpc(({ id }) => ok(id, { api_version: "2.0.0" }));
    const r = await runNodeProbe(rpcCheck, options, signal());
    expect(r.error?.message).toBe("info_get_status: not a Casper status: missing chainspec_name, peers");
  });

  it("a caller abort → timeout that says aborted, without the URL", async () => {
    vi.stubGlobal(
      "fetch",
      (_u: string, init: RequestInit) =>
        new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(init.signal?.reason))),
    );
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 20);
    const r = await runNodeProbe(rpcCheck, options, caller.signal);
    expect(r.error).toEqual({ kind: "timeout", message: "aborted by caller before an answer" });
  });

  it("an error text with the URL in it is redacted", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError(`fetch to ${URL_WITH_KEY} failed: certificate has expired`);
    });
    const r = await runNodeProbe(rpcCheck, options, signal());
    expect(r.error).toEqual({
      kind: "tls",
      message: "TLS failure: fetch to <url> failed: certificate has expired",
    });
  });
});

describe("casper-rest probe (stubbed fetch)", () => {
  it("a redirect is not followed → http_status naming it", async () => {
    vi.stubGlobal(
      "fetch",
      async () => new Response(null, { status: 301, headers: { location: "https://x.example/" } }),
    );
    const r = await runNodeProbe(restCheck, options, signal());
    expect(r.error).toEqual({
      kind: "http_status",
      message: "HTTP 301 redirect (not followed)",
      httpStatus: 301,
    });
  });

  it("an honest Content-Length over the limit fails before reading", async () => {
    let pulled = false;
    const body = new ReadableStream(
      {
        pull() {
          pulled = true;
        },
      },
      { highWaterMark: 0 },
    );
    vi.stubGlobal("fetch", async () => new Response(body, { headers: { "content-length": "99999999" } }));
    const r = await runNodeProbe(restCheck, options, signal());
    expect(r.error).toEqual({ kind: "too_large", message: "body exceeds 1048576 bytes" });
    expect(pulled).toBe(false);
  });

  it("a connection lost mid-body → bad_body", async () => {
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"peers":['));
        c.error(new Error("Network connection lost."));
      },
    });
    vi.stubGlobal("fetch", async () => new Response(body));
    const r = await runNodeProbe(restCheck, options, signal());
    expect(r.error).toEqual({ kind: "bad_body", message: "connection lost while reading the body" });
  });

  it("a body that stalls after the headers → timeout at the deadline", async () => {
    const body = new ReadableStream({ pull: () => new Promise(() => {}) });
    vi.stubGlobal("fetch", async () => new Response(body));
    const started = Date.now();
    const r = await runNodeProbe(restCheck, { ...options, timeoutMs: 150 }, signal());
    expect(r.error?.kind).toBe("timeout");
    expect(r.error?.message).toMatch(/^timed out reading the body after 150 ms \(headers after \d+ ms\)$/);
    expect(r.phase).toBe("body");
    expect(Date.now() - started).toBeLessThan(400);
  });

  it("an empty body → bad_body", async () => {
    vi.stubGlobal("fetch", async () => new Response(""));
    const r = await runNodeProbe(restCheck, options, signal());
    expect(r.error).toEqual({ kind: "bad_body", message: "body is not JSON (empty)" });
  });
});

describe("casper-sse probe on captured streams (stubbed fetch)", () => {
  const sseCheck = (extra: object = {}) =>
    CheckSchema.parse({
      kind: "casper-sse",
      url: "https://events.example.com:9999/events",
      apiVersionWithinMs: 500,
      blockWithinMs: 800,
      ...extra,
    }) as CheckOf<"casper-sse">;
  /** Serves `body` as an event stream that then stays open (as a node's does). */
  const serve = (body: string, contentType = "text/event-stream") => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(body));
      },
      cancel() {
        cancelled = true;
      },
    });
    vi.stubGlobal("fetch", async () => new Response(stream, { headers: { "content-type": contentType } }));
    return () => cancelled;
  };
  const sseOptions = { ...options, timeoutMs: 1000 };

  it("2.0 NCTL capture: BlockAdded after Step and signatures; the stream is cancelled", async () => {
    const cancelled = serve(text("casper-sse-2.0-events-head.txt"));
    const r = await runNodeProbe(sseCheck(), sseOptions, signal());
    expect(r).toMatchObject({
      ok: true,
      facts: {
        version: "2.0.0",
        blockSeen: true,
        height: 0,
        lastBlockAt: Date.parse("2024-06-11T13:45:50.494Z"),
      },
    });
    expect(r.facts?.events).toBeGreaterThan(2);
    expect(cancelled()).toBe(true);
  });

  it("1.x capture with comment lines", async () => {
    serve(text("casper-sse-main-1.x.txt"));
    const r = await runNodeProbe(sseCheck(), sseOptions, signal());
    expect(r).toMatchObject({ ok: true, facts: { version: "1.0.0", blockSeen: true, height: 0 } });
  });

  it("no BlockAdded in the window → ok, blockSeen false", async () => {
    serve('data:{"ApiVersion":"2.0.0"}\n\n:\n\n');
    const r = await runNodeProbe(sseCheck(), sseOptions, signal());
    expect(r).toMatchObject({ ok: true, facts: { version: "2.0.0", blockSeen: false, events: 1 } });
  });

  it("nothing at all → timeout naming ApiVersion", async () => {
    serve("");
    const r = await runNodeProbe(sseCheck(), sseOptions, signal());
    expect(r.error).toEqual({ kind: "timeout", message: "no ApiVersion within 500 ms" });
  });

  it("a Shutdown → protocol", async () => {
    serve(`data:{"ApiVersion":"2.0.0"}\n\n${text("casper-sse-shutdown.txt")}\n\n`);
    const r = await runNodeProbe(sseCheck(), sseOptions, signal());
    expect(r.error).toEqual({ kind: "protocol", message: "node announced Shutdown" });
  });

  it("a stream that ends → protocol", async () => {
    vi.stubGlobal(
      "fetch",
      async () =>
        new Response('data:{"ApiVersion":"2.0.0"}\n\n', { headers: { "content-type": "text/event-stream" } }),
    );
    const r = await runNodeProbe(sseCheck(), sseOptions, signal());
    expect(r.error).toEqual({
      kind: "protocol",
      message: "stream ended after 1 events without a BlockAdded",
    });
  });

  it("another event first → protocol naming it", async () => {
    serve(`${text("casper-sse-blockadded-1.x.txt")}\n\n`);
    const r = await runNodeProbe(sseCheck(), sseOptions, signal());
    expect(r.error).toEqual({ kind: "protocol", message: "first event is not ApiVersion (got BlockAdded)" });
  });

  it("a flood of events without a block → too_large at maxEvents", async () => {
    serve(`data:{"ApiVersion":"2.0.0"}\n\n${'data:{"Step":{}}\nid:1\n\n'.repeat(50)}`);
    const r = await runNodeProbe(sseCheck({ maxEvents: 10 }), sseOptions, signal());
    expect(r.error).toEqual({ kind: "too_large", message: "more than 10 SSE events" });
  });

  it("not an event stream → protocol", async () => {
    serve("{}", "application/json");
    const r = await runNodeProbe(sseCheck(), sseOptions, signal());
    expect(r.error).toEqual({
      kind: "protocol",
      message: 'not an event stream (content-type "application/json")',
    });
  });
});
