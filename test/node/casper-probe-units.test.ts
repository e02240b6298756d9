import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { redactUrls } from "../../src/core/redact.ts";
import { classifyError } from "../../src/probes/classify.ts";
import { abortable, startDeadline, withTimeout } from "../../src/probes/deadline.ts";
import { BodyReadError, ProbeFailure } from "../../src/probes/failure.ts";
import { createSseReader, type SseEvent, type SseLimits } from "../../src/probes/sse-reader.ts";

// Runtime-neutral probe helpers, tested in Node; the probes themselves run in workerd
// (test/workers/probes-*.test.ts).

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/casper/${name}`, import.meta.url), "utf8");
const LIMITS: SseLimits = { maxBytes: 1_048_576, maxEvents: 1000, maxLineLength: 65_536 };

/** A stream that yields `text` in chunks of `size` bytes (to hit every split point). */
function streamOf(text: string | Uint8Array, size: number): ReadableStream<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>, limits = LIMITS): Promise<SseEvent[]> {
  const r = createSseReader(stream, limits);
  const out: SseEvent[] = [];
  for (let ev = await r.next(); ev !== null; ev = await r.next()) out.push(ev);
  return out;
}

const keyOf = (ev: SseEvent) => {
  const j = JSON.parse(ev.data) as unknown;
  return typeof j === "string" ? j : Object.keys(j as object)[0];
};

describe("sse-reader", () => {
  it("parses the captured 2.0 sidecar stream with keep-alives and a Shutdown, at any chunking", async () => {
    for (const size of [1, 7, 64, 100_000]) {
      const events = await readAll(streamOf(fixture("casper-sse-2.0-sidecar-usage-shutdown.txt"), size));
      expect(events.map(keyOf)).toEqual(["ApiVersion", "BlockAdded", "Shutdown", "ApiVersion", "BlockAdded"]);
      expect(events.map((e) => e.id)).toEqual([undefined, "1", "2", undefined, "3"]);
    }
  });

  it("counts comment keep-alives and skips the SDK's comment lines in the 1.x capture", async () => {
    const r = createSseReader(streamOf(fixture("casper-sse-main-1.x.txt"), 333), LIMITS);
    const keys: string[] = [];
    for (let ev = await r.next(); ev; ev = await r.next()) keys.push(keyOf(ev) ?? "");
    expect(keys[0]).toBe("ApiVersion");
    expect(keys.filter((k) => k === "BlockAdded")).toHaveLength(2);
    expect(r.stats.comments).toBeGreaterThan(0);
  });

  it("accepts CRLF and CR line endings, multi-line data and a space after the colon", async () => {
    const events = await readAll(streamOf('data: {"a":\r\ndata:1}\r\nid: 7\r\n\r\ndata:"x"\r\r', 3));
    expect(events).toEqual([
      { data: '{"a":\n1}', id: "7" },
      { data: '"x"', id: undefined },
    ]);
  });

  it("drops an event without its closing blank line at end of stream", async () => {
    expect(await readAll(streamOf(fixture("casper-sse-shutdown.txt"), 5))).toEqual([]);
  });

  it("decodes UTF-8 split across chunks", async () => {
    const events = await readAll(streamOf('data:"é€😀"\n\n', 1));
    expect(events[0]?.data).toBe('"é€😀"');
  });

  it("stops at maxBytes and cancels the stream", async () => {
    let cancelled = false;
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += 1;
        c.enqueue(new TextEncoder().encode(":\n\n".repeat(1000)));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(readAll(endless, { ...LIMITS, maxBytes: 10_000 })).rejects.toThrow(
      "SSE stream exceeds 10000 bytes",
    );
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it("stops at maxEvents but first hands out the events already parsed", async () => {
    const r = createSseReader(streamOf("data:1\n\ndata:2\n\ndata:3\n\n", 1000), { ...LIMITS, maxEvents: 2 });
    expect((await r.next())?.data).toBe("1");
    expect((await r.next())?.data).toBe("2");
    await expect(r.next()).rejects.toMatchObject({ kind: "too_large", message: "more than 2 SSE events" });
  });

  it("bounds one line and one event's data", async () => {
    const limits = { ...LIMITS, maxLineLength: 100 };
    await expect(readAll(streamOf(`data:${"x".repeat(500)}`, 10), limits)).rejects.toMatchObject({
      kind: "too_large",
      message: "SSE line exceeds 100 characters",
    });
    await expect(readAll(streamOf("data:0123456789\n".repeat(20), 10), limits)).rejects.toThrow(
      "SSE line exceeds 100 characters",
    );
  });

  it("unblocks a pending next() on cancel", async () => {
    const hung = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const r = createSseReader(hung, LIMITS);
    const pending = r.next();
    r.cancel();
    expect(await pending).toBeNull();
  });
});

describe("redactUrls", () => {
  it.each([
    ["fetch http://rpc.example.com:7777/rpc?key=SECRET failed", "fetch <url> failed"],
    ["GET https://user:pw@node.example/status", "GET <url>"],
    ["connect 10.1.2.3:35000 refused", "connect <ip> refused"],
    ["connect [2001:db8::1]:7777 refused", "connect <ip> refused"],
    ["peer ::1 gone, fe80::1%eth0 too", "peer <ip> gone, <ip>%eth0 too"],
    ["node.example.com:8888 reset", "<host> reset"],
    ["localhost:9999 reset", "<host> reset"],
  ])("%s", (input, out) => {
    expect(redactUrls(input)).toBe(out);
  });

  it("leaves versions, times, hashes and codes alone", () => {
    const text =
      "api 1.5.8 at 2023-05-25T12:14:26.816Z era 12:14 JSON-RPC error -32602: Invalid params std::io tls:0101..0101";
    expect(redactUrls(text)).toBe(text);
  });

  it("removes known hosts literally, with a port", () => {
    expect(redactUrls("cannot reach my-node.internal:8888 or my-node.internal", ["my-node.internal"])).toBe(
      "cannot reach <host> or <host>",
    );
  });
});

describe("classifyError", () => {
  const ctx = (caller = new AbortController().signal, tls = false, hostIsIp = false) => ({
    deadline: startDeadline(5000, caller),
    hosts: ["n1.example"],
    tls,
    hostIsIp,
  });

  it.each([
    [new Error("Network connection lost."), "refused", "connection refused"],
    [
      new Error("proxy request failed, cannot connect to the specified address"),
      "refused",
      "connection refused (or the host name does not resolve)",
    ],
    [new TypeError("fetch failed: connect ECONNREFUSED 127.0.0.1:8888"), "refused", "connection refused"],
    [new Error("internal error; reference = 8sd7f6sdf"), "dns", "DNS lookup failed"],
    [new DOMException("timed out after 5000 ms", "TimeoutError"), "timeout", "no answer within 5000 ms"],
    [
      new BodyReadError(new Error("Network connection lost.")),
      "bad_body",
      "connection lost while reading the body",
    ],
    [
      new Error("TLS peer's certificate is not trusted for n1.example"),
      "tls",
      "TLS failure: TLS peer's certificate is not trusted for <host>",
    ],
    [new ProbeFailure("http_status", "HTTP 503", 503), "http_status", "HTTP 503"],
    [
      new RangeError("boom at http://n1.example:1/x"),
      "internal",
      "unexpected error: RangeError: boom at <url>",
    ],
  ])("%s", (err, kind, message) => {
    const c = ctx();
    expect(classifyError(err, c)).toMatchObject({ kind, message });
    c.deadline.dispose();
  });

  it("tells DNS from TLS behind workerd's opaque internal error where it can", () => {
    const opaque = new Error("internal error; reference = 4knimeqd726255vn4k31u7nt");
    expect(classifyError(opaque, ctx(undefined, false))).toEqual({
      kind: "dns",
      message: "DNS lookup failed",
    });
    expect(classifyError(opaque, ctx(undefined, true, true))).toEqual({
      kind: "tls",
      message: "TLS handshake failed",
    });
    expect(classifyError(opaque, ctx(undefined, true, false))).toEqual({
      kind: "tls",
      message: "TLS handshake failed (or the host name does not resolve)",
    });
    // Plain HTTP to an IP literal looks nothing up: the failure is the checker's, never the node's.
    expect(classifyError(opaque, ctx(undefined, false, true))).toEqual({
      kind: "internal",
      message: "the checker could not open a connection (its own failure)",
    });
    const socket = new Error("proxy request failed, cannot connect to the specified address");
    expect(classifyError(socket, ctx(undefined, false, true)).message).toBe("connection refused");
  });

  it("reports the caller's abort as a timeout that says so", () => {
    const caller = new AbortController();
    caller.abort();
    expect(classifyError(new DOMException("x", "AbortError"), ctx(caller.signal))).toEqual({
      kind: "timeout",
      message: "aborted by caller before an answer",
    });
  });
});

describe("deadline", () => {
  it("aborts with TimeoutError and stops waits", async () => {
    const d = startDeadline(30, new AbortController().signal);
    await expect(abortable(new Promise(() => {}), d.signal)).rejects.toMatchObject({ name: "TimeoutError" });
    expect(d.elapsed()).toBeGreaterThanOrEqual(25);
    d.dispose();
  });

  it("withTimeout resolves the fallback and never leaks the loser's rejection", async () => {
    const slow = new Promise((_, reject) => setTimeout(() => reject(new Error("late")), 20));
    expect(await withTimeout(slow, 5, () => "expired")).toBe("expired");
    await new Promise((r) => setTimeout(r, 30));
  });
});
