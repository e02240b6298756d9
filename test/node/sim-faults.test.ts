import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import type { FaultSpec, SimNodeSpec } from "../../src/sim/types.ts";
import { getJson, openStream, rpc, sleep, sseEvents, tcpProbe, url } from "./sim-helpers.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests walk deep into JSON payloads
type Json = Record<string, any>;

const BLOCK_MS = 200;
const node = (id: string, extra: Partial<SimNodeSpec> = {}): SimNodeSpec => ({
  id,
  version: "2.0",
  blockTimeMs: BLOCK_MS,
  startHeight: 1000,
  ...extra,
});

let fleet: Fleet;
const info = (id: string) => fleet.node(id).info();
const status = async (id: string, userAgent?: string) =>
  (await getJson<Json>(url(info(id), "rest", "/status"), userAgent)).body;
const setFault = (id: string, spec: FaultSpec) => fleet.node(id).setFault(spec);

beforeAll(async () => {
  fleet = await startFleet([
    node("ref"),
    node("stalled-at-start", { fault: { fault: "stalled" } }),
    node("stalls"),
    node("lagging", { fault: { fault: "lagging", lagBlocks: 20 } }),
    node("catchup", { version: "1.5", fault: { fault: "catchup" } }),
    node("slow"),
    node("refusing"),
    node("hung"),
    node("garbage"),
    node("huge"),
    node("endless"),
    node("rpc-error"),
    node("upgrade", { fault: { fault: "upgrade" } }),
    node("wrong-chain", { fault: { fault: "wrong-chain" } }),
    node("per-vantage"),
  ]);
});
afterAll(() => fleet.stop());

describe("chain faults", () => {
  it("stalled at start: last block 10 minutes old, height frozen", async () => {
    const first = (await status("stalled-at-start")).last_added_block_info;
    const age = Date.now() - Date.parse(first.timestamp);
    expect(age).toBeGreaterThan(10 * 60_000 - 1000);
    expect(age).toBeLessThan(10 * 60_000 + 5000);
    await sleep(3 * BLOCK_MS);
    expect((await status("stalled-at-start")).last_added_block_info).toEqual(first);
  });

  it("stalled at run time: height and block time freeze where they were", async () => {
    const before = (await setFault("stalls", { fault: "stalled" })).height;
    const frozen = (await status("stalls")).last_added_block_info;
    expect(frozen.height).toBe(before);
    await sleep(3 * BLOCK_MS);
    expect((await status("stalls")).last_added_block_info).toEqual(frozen);
    expect(
      (await rpc<Json>(info("stalls"), "chain_get_block")).body.result.block_with_signatures.block.Version2
        .header.height,
    ).toBe(frozen.height);
    const healed = await setFault("stalls", { fault: "healthy" });
    expect(healed.height).toBeGreaterThanOrEqual(frozen.height + 3);
  });

  it("lagging: lagBlocks behind the network, block times as old", async () => {
    const [ref, lagging] = await Promise.all([status("ref"), status("lagging")]);
    const lag = ref.last_added_block_info.height - lagging.last_added_block_info.height;
    expect(lag).toBeGreaterThanOrEqual(19);
    expect(lag).toBeLessThanOrEqual(21);
    expect(Date.now() - Date.parse(lagging.last_added_block_info.timestamp)).toBeGreaterThan(19 * BLOCK_MS);
    expect(lagging.reactor_state).toBe("KeepUp");
  });

  it("catchup: reactor CatchUp, behind the network, forward sync under way", async () => {
    const [ref, catchup] = await Promise.all([status("ref"), status("catchup")]);
    expect(catchup.reactor_state).toBe("CatchUp");
    expect(ref.last_added_block_info.height - catchup.last_added_block_info.height).toBeGreaterThanOrEqual(
      19,
    );
    expect(catchup.block_sync.forward.block_height).toBeGreaterThan(catchup.last_added_block_info.height);
  });

  it("upgrade: next_upgrade at the next era", async () => {
    const body = await status("upgrade");
    expect(body.next_upgrade).toEqual({
      activation_point: body.last_added_block_info.era_id + 1,
      protocol_version: "2.0.1",
    });
  });

  it("wrong-chain: chainspec_name wrong-chain", async () => {
    expect((await status("wrong-chain")).chainspec_name).toBe("wrong-chain");
    expect((await rpc<Json>(info("wrong-chain"), "info_get_status")).body.result.chainspec_name).toBe(
      "wrong-chain",
    );
  });
});

describe("transport faults", () => {
  it("slow: first byte delayed by delayMs on REST, RPC and SSE", async () => {
    await setFault("slow", { fault: "slow", delayMs: 400 });
    const started = Date.now();
    const [rest, rpcAnswer] = await Promise.all([status("slow"), rpc<Json>(info("slow"), "info_get_status")]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(rest.reactor_state).toBe("KeepUp");
    expect(rpcAnswer.body.result.api_version).toBe("2.0.0");
    const stream = openStream(url(info("slow"), "sse", "/events"));
    try {
      const sseStarted = Date.now();
      await stream.waitFor((text) => text.startsWith("data:"), 1500);
      expect(Date.now() - sseStarted).toBeGreaterThanOrEqual(390);
    } finally {
      stream.close();
    }
  });

  it("refusing: ECONNREFUSED on all four ports, back on the same ports when healed", async () => {
    const before = info("refusing");
    const stream = openStream(url(before, "sse", "/events"));
    await stream.waitFor((text) => text.startsWith("data:"), 1000);
    await setFault("refusing", { fault: "refusing" });
    for (const port of Object.values(before.ports)) {
      expect(await tcpProbe(before.host, port)).toMatchObject({ connected: false, code: "ECONNREFUSED" });
    }
    await stream.ended; // the open SSE stream was cut too
    const after = await setFault("refusing", { fault: "healthy" });
    expect(after.ports).toEqual(before.ports);
    expect((await status("refusing")).reactor_state).toBe("KeepUp");
    expect((await tcpProbe(after.host, after.ports.p2p)).connected).toBe(true);
    stream.close();
  });

  it("hung: accepts and reads, never answers; P2P accepts and stays silent", async () => {
    await setFault("hung", { fault: "hung" });
    fleet.node("hung").resetStats();
    const target = info("hung");
    const timedOut = (request: Promise<Response>) => expect(request).rejects.toThrow(/abort|timeout/i);
    const [, , , p2p] = await Promise.all([
      timedOut(fetch(url(target, "rest", "/status"), { signal: AbortSignal.timeout(500) })),
      timedOut(fetch(url(target, "sse", "/events"), { signal: AbortSignal.timeout(500) })),
      timedOut(
        fetch(url(target, "rpc", "/rpc"), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "info_get_status" }),
          signal: AbortSignal.timeout(500),
        }),
      ),
      tcpProbe(target.host, target.ports.p2p, 500),
    ]);
    expect(p2p).toEqual({ connected: true, received: "" });
    expect(fleet.node("hung").stats().requests).toMatchObject({ rest: 1, rpc: 1, sse: 1, p2p: 1 });
  });

  it("garbage: HTTP 200 with an HTML page on REST and RPC; garbage lines on SSE", async () => {
    await setFault("garbage", { fault: "garbage" });
    const res = await fetch(url(info("garbage"), "rest", "/status"));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("<html>");
    expect(() => JSON.parse(body)).toThrow();
    const rpcRes = await fetch(url(info("garbage"), "rpc", "/rpc"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "info_get_status" }),
    });
    expect(rpcRes.status).toBe(200);
    expect(await rpcRes.text()).toContain("Bad Gateway");
    const stream = openStream(url(info("garbage"), "sse", "/events"));
    try {
      await stream.waitFor((text) => text.length > 100, 1000);
      expect(stream.text()).not.toContain("ApiVersion");
    } finally {
      stream.close();
    }
  });

  it("huge: streams hugeBytes, and stops when the client goes away", async () => {
    await setFault("huge", { fault: "huge", hugeBytes: 3 * 1024 * 1024 });
    const res = await fetch(url(info("huge"), "rest", "/status"));
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024);

    await setFault("huge", { fault: "huge" });
    fleet.node("huge").resetStats();
    const partial = openStream(url(info("huge"), "rest", "/status"), {}, 0);
    await partial.waitFor(() => partial.bytes() > 1024 * 1024, 2000);
    partial.close();
    await sleep(100);
    expect(fleet.node("huge").stats().inFlight).toBe(0);

    const sse = openStream(url(info("huge"), "sse", "/events"), {}, 100);
    try {
      await sse.waitFor(() => sse.bytes() > 2 * 1024 * 1024, 2000);
      expect(sse.text().startsWith("data:")).toBe(true);
      expect(sse.text()).not.toContain("\n");
    } finally {
      sse.close();
    }
  });

  it("endless-sse: ApiVersion, then FinalitySignatures and keep-alives only; REST healthy", async () => {
    await setFault("endless", { fault: "endless-sse" });
    const stream = openStream(url(info("endless"), "sse", "/events"));
    try {
      await sleep(5 * BLOCK_MS + 100);
      const events = sseEvents(stream.text());
      expect(events[0]).toEqual({ data: '{"ApiVersion":"2.0.0"}' });
      expect(events.length).toBeGreaterThanOrEqual(3);
      for (const event of events.slice(1))
        expect(Object.keys(JSON.parse(event.data))).toEqual(["FinalitySignature"]);
    } finally {
      stream.close();
    }
    expect((await status("endless")).reactor_state).toBe("KeepUp");
  });

  it("rpc-error: JSON-RPC error over HTTP 200; REST stays healthy", async () => {
    await setFault("rpc-error", { fault: "rpc-error" });
    const { status: code, body } = await rpc<Json>(info("rpc-error"), "info_get_status");
    expect(code).toBe(200);
    expect(body).toMatchObject({ jsonrpc: "2.0", id: 1, error: { code: -32603, message: "Internal error" } });
    expect(body).not.toHaveProperty("result");
    expect((await status("rpc-error")).reactor_state).toBe("KeepUp");
  });
});

describe("per-User-Agent faults", () => {
  it("applies only to requests whose User-Agent contains the text", async () => {
    await setFault("per-vantage", { fault: "lagging", lagBlocks: 50, userAgentContains: "vantage-b" });
    const [a, b] = await Promise.all([
      status("per-vantage", "chain-uptime/1 vantage-a"),
      status("per-vantage", "chain-uptime/1 vantage-b"),
    ]);
    expect(a.last_added_block_info.height - b.last_added_block_info.height).toBeGreaterThanOrEqual(49);

    await setFault("per-vantage", { fault: "hung", userAgentContains: "vantage-b" });
    expect((await status("per-vantage", "vantage-a")).reactor_state).toBe("KeepUp");
    await expect(
      fetch(url(info("per-vantage"), "rest", "/status"), {
        headers: { "user-agent": "vantage-b" },
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();

    await setFault("per-vantage", { fault: "refusing", userAgentContains: "vantage-b" });
    expect((await status("per-vantage", "vantage-a")).reactor_state).toBe("KeepUp");
    await expect(
      fetch(url(info("per-vantage"), "rest", "/status"), { headers: { "user-agent": "vantage-b" } }),
    ).rejects.toThrow();
    expect(fleet.node("per-vantage").stats().userAgents).toEqual(
      expect.arrayContaining(["chain-uptime/1 vantage-a", "vantage-a", "vantage-b"]),
    );
  });
});

describe("sse under chain faults", () => {
  it("a stalled node's open stream stops announcing blocks", async () => {
    await setFault("stalls", { fault: "healthy" });
    const stream = openStream(url(info("stalls"), "sse", "/events"));
    try {
      await stream.waitFor((text) => sseEvents(text).length >= 2, 1000);
      await setFault("stalls", { fault: "stalled" });
      const count = sseEvents(stream.text()).length;
      await sleep(3 * BLOCK_MS);
      expect(sseEvents(stream.text()).length).toBe(count);
    } finally {
      stream.close();
    }
  });
});
