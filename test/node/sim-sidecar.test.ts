import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText, promSeries, promValue } from "../../src/core/prometheus/parse.ts";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import { resolveNodeSpec } from "../../src/sim/node-spec.ts";
import type { FaultSpec, SimNodeInfo, SimNodeSpec } from "../../src/sim/types.ts";
import { getJson, openStream, runScriptToExit, sleep, sseEvents, tcpProbe, url } from "./sim-helpers.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests walk deep into JSON payloads
type Json = Record<string, any>;

const BLOCK_MS = 200;
const side = (id: string, extra: Partial<SimNodeSpec> = {}): SimNodeSpec => ({
  id,
  version: "2.0",
  sidecar: true,
  blockTimeMs: BLOCK_MS,
  startHeight: 1000,
  ...extra,
});

let fleet: Fleet;
const info = (id: string): SimNodeInfo => fleet.node(id).info();
const setFault = (id: string, spec: FaultSpec) => fleet.node(id).setFault(spec);
const heal = (id: string) => setFault(id, { fault: "healthy" });

const block = async (id: string, userAgent?: string) =>
  (await getJson<Json>(url(info(id), "sidecarRest", "/block"), userAgent)).body;
const blockHeight = async (id: string, userAgent?: string) =>
  (await block(id, userAgent)).block.Version2.header.height as number;
const nodeHeight = async (id: string) =>
  (await getJson<Json>(url(info(id), "rest", "/status"))).body.last_added_block_info.height as number;

async function adminMetrics(id: string, userAgent?: string) {
  const res = await fetch(url(info(id), "sidecarAdmin", "/metrics"), {
    headers: userAgent ? { "user-agent": userAgent } : {},
  });
  expect(res.status).toBe(200);
  const parsed = parsePrometheusText(await res.text());
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}
const nodeStatus = async (id: string, userAgent?: string) =>
  promValue(await adminMetrics(id, userAgent), "node_statuses");

beforeAll(async () => {
  fleet = await startFleet([
    side("sc"),
    side("sc-idle", { keepAliveMs: 100 }),
    side("sc-refusing"),
    side("sc-hung"),
    side("sc-down"),
    side("sc-disc"),
    side("sc-vantage"),
    side("sc-metrics"),
    side("sc-proxy"),
    side("sc-stalled"),
    // A chain long enough to reach 10 minutes back at 200 ms blocks.
    side("sc-dead-at-start", { startHeight: 10_000, fault: { fault: "refusing" } }),
    { id: "plain", version: "2.0", blockTimeMs: BLOCK_MS },
  ]);
});
afterAll(() => fleet.stop());

describe("layout", () => {
  it("a sidecar node lists three more ports and counts requests on them", async () => {
    const n = info("sc");
    expect(n.ports).toEqual({
      rest: expect.any(Number),
      rpc: expect.any(Number),
      sse: expect.any(Number),
      p2p: expect.any(Number),
      sidecarSse: expect.any(Number),
      sidecarRest: expect.any(Number),
      sidecarAdmin: expect.any(Number),
    });
    expect(new Set(Object.values(n.ports)).size).toBe(7);
    fleet.node("sc").resetStats();
    await block("sc");
    await adminMetrics("sc");
    expect(fleet.node("sc").stats().requests).toEqual({
      rest: 0,
      rpc: 0,
      sse: 0,
      p2p: 0,
      sidecarSse: 0,
      sidecarRest: 1,
      sidecarAdmin: 1,
    });
  });

  it("a node without a sidecar keeps its four ports and stats shape", () => {
    expect(Object.keys(info("plain").ports)).toEqual(["rest", "rpc", "sse", "p2p"]);
    expect(fleet.node("plain").stats().requests).toEqual({ rest: 0, rpc: 0, sse: 0, p2p: 0 });
  });

  it("layouts: a sidecar needs 2.0; sidecar faults need a sidecar", async () => {
    expect(() => resolveNodeSpec({ id: "x", version: "1.5", sidecar: true })).toThrow(
      'node "x": sidecar: expected a 2.0 node (the event sidecar came with 2.0), got "1.5"',
    );
    expect(() => resolveNodeSpec({ id: "x", version: "2.0", fault: { fault: "sidecar-down" } })).toThrow(
      /fault\.fault: expected a fault of the node itself/,
    );
    await expect(setFault("plain", { fault: "sidecar-disconnected" })).rejects.toThrow(
      "fault: sidecar-disconnected needs a node that runs a sidecar (node plain does not)",
    );
    expect(resolveNodeSpec(side("ok", { ports: { sidecarRest: 18888 } })).ports.sidecarRest).toBe(18888);
  });
});

describe("healthy sidecar", () => {
  it("/events: the node's ApiVersion first (no SidecarVersion there), then relayed BlockAdded with ids", async () => {
    const stream = openStream(url(info("sc"), "sidecarSse", "/events"));
    try {
      const status = await stream.status;
      expect(status.code).toBe(200);
      expect(status.headers["content-type"]).toBe("text/event-stream");
      await stream.waitFor((text) => sseEvents(text).length >= 3, 2000);
      const [first, a, b] = sseEvents(stream.text());
      expect(first).toEqual({ data: '{"ApiVersion":"2.0.0"}' });
      expect(stream.text()).not.toContain("SidecarVersion");
      const header = (ev: typeof a) => JSON.parse(ev?.data ?? "").BlockAdded.block.Version2.header;
      expect(a?.id).toMatch(/^\d+$/);
      expect(Number(b?.id)).toBeGreaterThan(Number(a?.id));
      expect(header(b).height).toBe(header(a).height + 1);
      expect(Math.abs(header(b).height - (await nodeHeight("sc")))).toBeLessThanOrEqual(1);
    } finally {
      stream.close();
    }
  });

  it("/events/sidecar: only SidecarVersion, then keep-alives", async () => {
    const stream = openStream(url(info("sc-idle"), "sidecarSse", "/events/sidecar"));
    try {
      await stream.waitFor((text) => text.split(":\n\n").length >= 3, 2000);
      expect(stream.text()).toMatch(/^data:\{"SidecarVersion":"1\.1\.0"\}\n\n(:\n\n)+$/);
    } finally {
      stream.close();
    }
  });

  it("SSE refusals: the sidecar's own 404 text, 422 for a bad query", async () => {
    for (const path of ["/events/main", "/events/nope", "/"]) {
      const res = await fetch(url(info("sc"), "sidecarSse", path));
      expect(res.status).toBe(404);
      expect(await res.text()).toBe("invalid path: expected '/events/main' or '/events/sidecar'\n");
    }
    const query = await fetch(url(info("sc"), "sidecarSse", "/events?since=1"));
    expect(query.status).toBe(422);
    await query.text();
  });

  it("REST /block: the latest block as BlockAdded carries it; /status: the sidecar version", async () => {
    const body = await block("sc");
    expect(Object.keys(body)).toEqual(["block_hash", "block"]);
    const v2 = body.block.Version2;
    expect(v2.hash).toBe(body.block_hash);
    expect(Math.abs(v2.header.height - (await nodeHeight("sc")))).toBeLessThanOrEqual(1);
    expect(Date.now() - Date.parse(v2.header.timestamp)).toBeLessThan(2 * BLOCK_MS + 100);
    expect((await getJson(url(info("sc"), "sidecarRest", "/status"))).body).toEqual({ version: "1.1.0" });
  });

  it("REST: any other path is the sidecar's 400", async () => {
    for (const path of ["/", "/blocks", "/block/extra/parts", "/metrics"]) {
      const r = await getJson(url(info("sc"), "sidecarRest", path));
      expect(r).toEqual({ status: 400, body: { code: 400, message: "Invalid request path provided" } });
    }
  });

  it("admin /metrics: Prometheus text with node_statuses 2 labelled with the node's SSE address", async () => {
    const n = info("sc");
    const page = await adminMetrics("sc");
    expect(promSeries(page, "node_statuses").map((s) => ({ ...s.labels, value: s.value }))).toEqual([
      { node: `${n.host}:${n.ports.sse}`, value: 2 },
    ]);
    expect(page.types.get("node_statuses")).toBe("gauge");
    expect(promValue(page, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(promSeries(page, "error_counts")).toEqual([]);
    expect(page.types.get("sse_server_received_bytes")).toBe("histogram");
    expect((await fetch(url(n, "sidecarAdmin", "/nope"))).status).toBe(404);
  });

  it("the node's own /metrics parses too and matches its /status", async () => {
    const res = await fetch(url(info("sc"), "rest", "/metrics"));
    const parsed = parsePrometheusText(await res.text());
    if (!parsed.ok) throw new Error(parsed.error.message);
    const height = promValue(parsed.value, "highest_available_block_height") ?? -1;
    expect(Math.abs(height - (await nodeHeight("sc")))).toBeLessThanOrEqual(1);
    expect(promValue(parsed.value, "peers")).toBe(5);
  });
});

describe("the node goes away, the sidecar stays", () => {
  it.each(["refusing", "hung"] as const)(
    "%s: node_statuses 3, /block frozen, /events silent, error counted; healed: relinks",
    async (f) => {
      const id = f === "refusing" ? "sc-refusing" : "sc-hung";
      const stream = openStream(url(info(id), "sidecarSse", "/events"));
      try {
        await stream.waitFor((text) => sseEvents(text).length >= 2, 2000);
        await setFault(id, { fault: f });
        const frozen = await blockHeight(id);
        const eventsAtCut = sseEvents(stream.text()).length;
        await sleep(4 * BLOCK_MS);
        expect(await blockHeight(id)).toBe(frozen);
        expect(await nodeStatus(id)).toBe(3);
        expect(promValue(await adminMetrics(id), "error_counts")).toBe(1);
        expect(sseEvents(stream.text())).toHaveLength(eventsAtCut);
        if (f === "refusing") {
          expect(await tcpProbe(info(id).host, info(id).ports.rest)).toMatchObject({ connected: false });
        }

        await heal(id);
        expect(await nodeStatus(id)).toBe(2);
        expect(await blockHeight(id)).toBeGreaterThan(frozen);
        // The sidecar relays the node's ApiVersion again, then catches up on blocks.
        await stream.waitFor((text) => sseEvents(text).length >= eventsAtCut + 2, 2000);
        const after = sseEvents(stream.text()).slice(eventsAtCut);
        expect(after[0]).toEqual({ data: '{"ApiVersion":"2.0.0"}' });
        expect(JSON.parse(after[1]?.data ?? "").BlockAdded.block.Version2.header.height).toBeGreaterThan(
          frozen,
        );
      } finally {
        stream.close();
      }
    },
  );

  it("a node dead since the fleet started: the sidecar's last block is 10 minutes old", async () => {
    const body = await block("sc-dead-at-start");
    expect(Date.now() - Date.parse(body.block.Version2.header.timestamp)).toBeGreaterThan(9 * 60_000);
    expect(await nodeStatus("sc-dead-at-start")).toBe(3);
  });

  it("stalled node: the sidecar is connected and relays the frozen block", async () => {
    await setFault("sc-stalled", { fault: "stalled" });
    const frozen = await nodeHeight("sc-stalled");
    await sleep(3 * BLOCK_MS);
    expect(await blockHeight("sc-stalled")).toBe(frozen);
    expect(await nodeStatus("sc-stalled")).toBe(2);
    await heal("sc-stalled");
  });
});

describe("sidecar faults", () => {
  it("sidecar-down: the sidecar's ports refuse, the node is fine; healed on the same ports", async () => {
    const before = info("sc-down");
    const stream = openStream(url(before, "sidecarSse", "/events"));
    await stream.waitFor((text) => text.startsWith("data:"), 1000);
    await setFault("sc-down", { fault: "sidecar-down" });
    for (const port of [before.ports.sidecarSse, before.ports.sidecarRest, before.ports.sidecarAdmin]) {
      expect(await tcpProbe(before.host, port ?? 0)).toMatchObject({
        connected: false,
        code: "ECONNREFUSED",
      });
    }
    await stream.ended;
    expect(await nodeHeight("sc-down")).toBeGreaterThan(0);
    const after = await heal("sc-down");
    expect(after.ports).toEqual(before.ports);
    expect(await nodeStatus("sc-down")).toBe(2);
    stream.close();
  });

  it("sidecar-disconnected: node fine; sidecar up with node_statuses 3, /block frozen, streams quiet", async () => {
    await setFault("sc-disc", { fault: "sidecar-disconnected" });
    const frozen = await blockHeight("sc-disc");
    const events = openStream(url(info("sc-disc"), "sidecarSse", "/events"));
    const sidecar = openStream(url(info("sc-disc"), "sidecarSse", "/events/sidecar"));
    try {
      await sleep(4 * BLOCK_MS);
      expect(await nodeHeight("sc-disc")).toBeGreaterThan(frozen + 2);
      expect(await blockHeight("sc-disc")).toBe(frozen);
      expect(await nodeStatus("sc-disc")).toBe(3);
      expect(sseEvents(events.text())).toEqual([{ data: '{"ApiVersion":"2.0.0"}' }]);
      expect(sseEvents(sidecar.text())).toEqual([{ data: '{"SidecarVersion":"1.1.0"}' }]);
    } finally {
      events.close();
      sidecar.close();
      await heal("sc-disc");
    }
    expect(await nodeStatus("sc-disc")).toBe(2);
  });

  it("per vantage: only the matching User-Agent sees the sidecar disconnected or down", async () => {
    await setFault("sc-vantage", { fault: "sidecar-disconnected", userAgentContains: "vantage-b" });
    await sleep(2 * BLOCK_MS);
    expect(await nodeStatus("sc-vantage", "x (vantage-a)")).toBe(2);
    expect(await nodeStatus("sc-vantage", "x (vantage-b)")).toBe(3);
    const frozen = await blockHeight("sc-vantage", "x (vantage-b)");
    await sleep(3 * BLOCK_MS);
    expect(await blockHeight("sc-vantage", "x (vantage-b)")).toBe(frozen);
    expect(await blockHeight("sc-vantage", "x (vantage-a)")).toBeGreaterThan(frozen);

    await setFault("sc-vantage", { fault: "sidecar-down", userAgentContains: "vantage-b" });
    await expect(
      getJson(url(info("sc-vantage"), "sidecarRest", "/block"), "x (vantage-b)"),
    ).rejects.toThrow();
    expect(await nodeStatus("sc-vantage", "x (vantage-a)")).toBe(2);

    // A per-vantage node fault is that client's problem, not the sidecar's link.
    await setFault("sc-vantage", { fault: "refusing", userAgentContains: "vantage-b" });
    expect(await nodeStatus("sc-vantage", "x (vantage-b)")).toBe(2);
    await heal("sc-vantage");
  });

  it("metrics-unavailable: the node's /metrics answers 500, /status and the sidecar are fine", async () => {
    await setFault("sc-metrics", { fault: "metrics-unavailable" });
    const res = await fetch(url(info("sc-metrics"), "rest", "/metrics"));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("metrics not available");
    expect(await nodeHeight("sc-metrics")).toBeGreaterThan(0);
    expect(await nodeStatus("sc-metrics")).toBe(2);
    await heal("sc-metrics");
    expect((await fetch(url(info("sc-metrics"), "rest", "/metrics"))).status).toBe(200);
  });
});

describe("what the machine or its proxy does reaches the sidecar's ports too", () => {
  it("garbage: an HTML page on REST and admin, garbage lines on SSE", async () => {
    await setFault("sc-proxy", { fault: "garbage" });
    for (const [port, path] of [
      ["sidecarRest", "/block"],
      ["sidecarAdmin", "/metrics"],
    ] as const) {
      const res = await fetch(url(info("sc-proxy"), port, path));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("502 Bad Gateway");
    }
    const stream = openStream(url(info("sc-proxy"), "sidecarSse", "/events"));
    try {
      await stream.waitFor((text) => text.includes("not an event stream"), 1500);
    } finally {
      stream.close();
    }
  });

  it("huge: a body far past any limit", async () => {
    await setFault("sc-proxy", { fault: "huge", hugeBytes: 3_000_000 });
    const res = await fetch(url(info("sc-proxy"), "sidecarAdmin", "/metrics"));
    expect((await res.arrayBuffer()).byteLength).toBe(3_000_000);
  });

  it("slow: first byte delayed on every sidecar port", async () => {
    await setFault("sc-proxy", { fault: "slow", delayMs: 300 });
    const started = Date.now();
    await Promise.all([block("sc-proxy"), adminMetrics("sc-proxy")]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await heal("sc-proxy");
  });
});

describe("lifecycle", () => {
  it("stop() also ends the sidecar's streams, slow requests and timers", async () => {
    const fleetModule = fileURLToPath(new URL("../../src/sim/fleet.ts", import.meta.url));
    const script = `
      import { request } from "node:http";
      const { startFleet } = await import(${JSON.stringify(fleetModule)});
      const fleet = await startFleet([
        { id: "a", version: "2.0", sidecar: true, blockTimeMs: 100, keepAliveMs: 50 },
        { id: "s", version: "2.0", sidecar: true, fault: { fault: "slow", delayMs: 60000 } },
        { id: "d", version: "2.0", sidecar: true, blockTimeMs: 100, fault: { fault: "sidecar-disconnected" } },
      ]);
      const [a, s, d] = fleet.nodes;
      const open = (port, path) => request({ host: "127.0.0.1", port, path, agent: false })
        .on("error", () => {}).on("response", (res) => res.on("data", () => {}).on("error", () => {})).end();
      open(a.ports.sidecarSse, "/events");
      open(a.ports.sidecarSse, "/events/sidecar");
      open(d.ports.sidecarSse, "/events");
      open(s.ports.sidecarRest, "/block");
      open(s.ports.sidecarAdmin, "/metrics");
      await new Promise((resolve) => setTimeout(resolve, 300));
      await fleet.stop();
      console.log("stopped");
    `;
    const { output, exit } = await runScriptToExit(script, 5000);
    expect(output.trim()).toBe("stopped");
    expect(exit).toBe(0);
  });
});
