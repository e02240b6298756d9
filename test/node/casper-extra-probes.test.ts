import { afterEach, describe, expect, it, vi } from "vitest";
import { CasperMetricsCheckSchema } from "../../src/core/kinds/casper-metrics.ts";
import { CasperSidecarAdminCheckSchema } from "../../src/core/kinds/casper-sidecar-admin.ts";
import { CasperSidecarEventsCheckSchema } from "../../src/core/kinds/casper-sidecar-events.ts";
import { CasperSidecarRestCheckSchema } from "../../src/core/kinds/casper-sidecar-rest.ts";
import { KINDS } from "../../src/core/kinds/index.ts";
import { sidecarStreamUrl } from "../../src/probes/casper-sidecar-events.ts";
import { sidecarBlockUrl } from "../../src/probes/casper-sidecar-rest.ts";
import { runNodeProbe } from "../support/node-runner.ts";

// Edge cases of the metrics and sidecar probes that the simulated fleet does not produce, with a
// stubbed fetch. Against real sockets they run in test/workers/probes-{metrics,sidecar}.test.ts.

const options = { timeoutMs: 1000, userAgent: "chain-uptime/test (weur)" };
const signal = () => new AbortController().signal;

/** Answers each fetch by URL path; records the URLs asked for. */
function serve(answer: (url: URL) => Response) {
  const urls: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    urls.push(url);
    return answer(new URL(url));
  });
  return urls;
}
const text = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/plain", ...headers } });
/** An event stream that stays open after `body`. */
const stream = (body: string) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(body));
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("check schemas", () => {
  it("defaults", () => {
    expect(CasperMetricsCheckSchema.parse({ kind: "casper-metrics", url: "http://n:8888/metrics" })).toEqual({
      kind: "casper-metrics",
      url: "http://n:8888/metrics",
      maxBodyBytes: 2_097_152,
      maxSeries: 20_000,
      gauges: {},
    });
    expect(
      CasperSidecarEventsCheckSchema.parse({ kind: "casper-sidecar-events", url: "http://n:19999/events" }),
    ).toMatchObject({ apiVersionWithinMs: 5000, blockWithinMs: 8000, maxEvents: 2000 });
    expect(
      CasperSidecarRestCheckSchema.parse({ kind: "casper-sidecar-rest", url: "http://n:18888" }).maxBodyBytes,
    ).toBe(2_097_152);
    expect(
      CasperSidecarAdminCheckSchema.parse({ kind: "casper-sidecar-admin", url: "http://n:18887/metrics" }),
    ).not.toHaveProperty("node");
    const extra = ["casper-metrics", "casper-sidecar-events", "casper-sidecar-rest", "casper-sidecar-admin"];
    expect(KINDS.filter((k) => extra.includes(k.kind)).map((k) => [k.kind, k.chain])).toEqual(
      extra.map((kind) => [kind, "casper"]),
    );
  });

  const problems = (
    schema: { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } },
    v: unknown,
  ) =>
    (schema.safeParse(v).error?.issues ?? []).map((i) => {
      const issue = i as { path: PropertyKey[]; message: string };
      return `${issue.path.map(String).join(".")}: ${issue.message}`;
    });

  it("gauge rules: names, bounds, count", () => {
    const base = { kind: "casper-metrics", url: "http://n:8888/metrics" };
    expect(problems(CasperMetricsCheckSchema, { ...base, gauges: { peers: { min: 5, max: 1 } } })).toEqual([
      "gauges.peers: min must not exceed max",
    ]);
    expect(problems(CasperMetricsCheckSchema, { ...base, gauges: { "bad-name": { min: 1 } } })[0]).toMatch(
      /^gauges\.bad-name: not a Prometheus metric name/,
    );
    expect(problems(CasperMetricsCheckSchema, { ...base, gauges: { peers: { minimum: 1 } } })[0]).toMatch(
      /^gauges\.peers/,
    );
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`g${i}`, { min: 0 }]));
    expect(problems(CasperMetricsCheckSchema, { ...base, gauges: many })).toEqual([
      "gauges: at most 32 gauges",
    ]);
  });

  it("the sidecar events URL must be its /events", () => {
    const bad = problems(CasperSidecarEventsCheckSchema, {
      kind: "casper-sidecar-events",
      url: "http://n:19999/events/sidecar",
    });
    expect(bad).toEqual(["url: the sidecar's /events URL (path ending in /events)"]);
    expect(
      problems(CasperSidecarEventsCheckSchema, {
        kind: "casper-sidecar-events",
        url: "https://proxy/sc/events/",
      }),
    ).toEqual([]);
    expect(
      problems(CasperSidecarEventsCheckSchema, { kind: "casper-sidecar-events", url: "not a url" })[0],
    ).toMatch(/^url: an http\(s\) URL/);
  });

  it("derived URLs keep prefixes and queries", () => {
    expect(sidecarStreamUrl("https://p.example/sc/events/?key=K")).toBe(
      "https://p.example/sc/events/sidecar?key=K",
    );
    expect(sidecarBlockUrl("http://n:18888")).toBe("http://n:18888/block");
    expect(sidecarBlockUrl("https://p.example/sidecar/?key=K")).toBe("https://p.example/sidecar/block?key=K");
    expect(sidecarBlockUrl("http://n:18888/block")).toBe("http://n:18888/block");
  });
});

describe("casper-metrics probe (stubbed fetch)", () => {
  const check = CasperMetricsCheckSchema.parse({
    kind: "casper-metrics",
    url: "https://node.example:8888/metrics?key=SECRET",
    gauges: { execution_queue_size: { max: 10 } },
  });

  it("NaN and ±Inf gauges are left out; the deprecated chain_height stands in for the height", async () => {
    serve(() =>
      text(
        [
          "# TYPE peers gauge",
          "peers NaN",
          "chain_height 42",
          "time_of_last_finalized_block 0",
          "execution_queue_size +Inf",
          "consensus_current_era 3",
        ].join("\n"),
      ),
    );
    const r = await runNodeProbe(check, options, signal());
    expect(r).toMatchObject({
      ok: true,
      facts: { height: 42, metrics: { chain_height: 42, consensus_current_era: 3 } },
    });
    expect(r.facts?.metrics).not.toHaveProperty("peers");
    expect(r.facts?.metrics).not.toHaveProperty("execution_queue_size");
    expect(r.facts).not.toHaveProperty("lastBlockAt"); // 0: nothing finalized yet
    expect(r.facts).not.toHaveProperty("peers");
  });

  it("error statuses: a short reason is quoted, a page is not, a redirect is named", async () => {
    serve(() => text(`<html>${"x".repeat(2000)}</html>`, 502));
    expect((await runNodeProbe(check, options, signal())).error).toEqual({
      kind: "http_status",
      message: "HTTP 502",
      httpStatus: 502,
    });
    serve(() => text('{"code":503,"message":"busy, retry later"}', 503));
    expect((await runNodeProbe(check, options, signal())).error?.message).toBe("HTTP 503: busy, retry later");
    serve(() => text("bad\u0000bytes", 500));
    expect((await runNodeProbe(check, options, signal())).error?.message).toBe("HTTP 500");
    serve(() => new Response(null, { status: 302, headers: { location: "https://elsewhere/" } }));
    expect((await runNodeProbe(check, options, signal())).error?.message).toBe(
      "HTTP 302 redirect (not followed)",
    );
  });

  it("a malformed page names its line; an empty page has no Casper gauges", async () => {
    serve(() => text('peers 5\npeers{a="1"} 6\nbroken line here\n'));
    expect((await runNodeProbe(check, options, signal())).error).toEqual({
      kind: "bad_body",
      message: "not Prometheus text: line 3: value of broken is not a number",
    });
    serve(() => text(""));
    expect((await runNodeProbe(check, options, signal())).error?.kind).toBe("protocol");
  });
});

describe("casper-sidecar-events probe (stubbed fetch)", () => {
  const check = CasperSidecarEventsCheckSchema.parse({
    kind: "casper-sidecar-events",
    url: "https://sc.example:19999/events",
    apiVersionWithinMs: 300,
    blockWithinMs: 600,
  });
  const block = (h: number) =>
    `data:{"BlockAdded":{"block_hash":"aa","block":{"Version2":{"hash":"aa","header":{"height":${h},"timestamp":"2024-03-20T14:45:55.936Z"}}}}}\nid:7\n\n`;

  it("reads /events/sidecar, then /events; a leading SidecarVersion on /events is tolerated", async () => {
    const urls = serve((u) =>
      u.pathname.endsWith("/sidecar")
        ? stream('data:{"SidecarVersion":"1.2.0"}\n\n')
        : stream(`data:{"SidecarVersion":"1.2.0"}\n\ndata:{"ApiVersion":"2.0.1"}\n\n${block(9)}`),
    );
    const r = await runNodeProbe(check, options, signal());
    expect(r).toMatchObject({
      ok: true,
      facts: { version: "2.0.1", vendor: "casper-sidecar 1.2.0", blockSeen: true, height: 9, events: 3 },
    });
    expect(urls.map((u) => new URL(u).pathname)).toEqual(["/events/sidecar", "/events"]);
  });

  it("the sidecar stream must open with SidecarVersion", async () => {
    serve(() => stream('data:{"ApiVersion":"2.0.0"}\n\n'));
    expect((await runNodeProbe(check, options, signal())).error).toEqual({
      kind: "protocol",
      message: "first event is not SidecarVersion (got ApiVersion)",
    });
  });

  it("a silent /events → timeout naming ApiVersion", async () => {
    serve((u) =>
      u.pathname.endsWith("/sidecar") ? stream('data:{"SidecarVersion":"1.1.0"}\n\n') : stream(":\n\n"),
    );
    expect((await runNodeProbe(check, options, signal())).error).toEqual({
      kind: "timeout",
      message: "no ApiVersion within 300 ms",
    });
  });
});

describe("casper-sidecar-rest probe (stubbed fetch)", () => {
  const check = CasperSidecarRestCheckSchema.parse({
    kind: "casper-sidecar-rest",
    url: "https://sc.example:18888",
  });

  it("a Version1 block and no protocol version still give height and time", async () => {
    serve(() =>
      text(
        JSON.stringify({
          block_hash: "aa",
          block: { Version1: { header: { height: 7, timestamp: "2024-03-20T14:45:55.936Z" } } },
        }),
      ),
    );
    const r = await runNodeProbe(check, options, signal());
    expect(r).toEqual({
      ok: true,
      latencyMs: expect.any(Number),
      facts: { height: 7, lastBlockAt: Date.parse("2024-03-20T14:45:55.936Z") },
      timings: { responseMs: expect.any(Number), bodyMs: expect.any(Number) },
    });
  });

  it("JSON that is not a block → protocol naming what is missing", async () => {
    serve(() => text(JSON.stringify({ version: "1.1.0" })));
    expect((await runNodeProbe(check, options, signal())).error).toEqual({
      kind: "protocol",
      message: "not a sidecar block: missing block",
    });
    serve(() => text(JSON.stringify({ block_hash: "aa", block: { Version2: { header: { height: -1 } } } })));
    expect((await runNodeProbe(check, options, signal())).error?.message).toMatch(
      /^not a sidecar block: block\.Version2\.header/,
    );
  });
});

describe("casper-sidecar-admin probe (stubbed fetch)", () => {
  const check = CasperSidecarAdminCheckSchema.parse({
    kind: "casper-sidecar-admin",
    url: "https://sc.example:18887/metrics",
  });

  it("several nodes: the worst status counts; errors are summed", async () => {
    serve(() =>
      text(
        [
          'node_statuses{node="10.0.0.1:9999"} 2',
          'node_statuses{node="10.0.0.2:9999"} 3',
          'node_statuses{node="10.0.0.3:9999"} -1',
          'error_counts{category="a",description="x"} 2',
          'error_counts{category="b",description="y"} 5',
        ].join("\n"),
      ),
    );
    const r = await runNodeProbe(check, options, signal());
    expect(r.facts).toEqual({ sidecarNodeStatus: -1, metrics: { node_statuses: -1, error_counts: 7 } });
    const one = await runNodeProbe({ ...check, node: "10.0.0.2:9999" }, options, signal());
    expect(one.facts?.sidecarNodeStatus).toBe(3);
  });

  it("a status that is not an integer → protocol", async () => {
    serve(() => text('node_statuses{node="a"} NaN'));
    expect((await runNodeProbe(check, options, signal())).error).toEqual({
      kind: "protocol",
      message: "node_statuses is not an integer",
    });
  });
});
