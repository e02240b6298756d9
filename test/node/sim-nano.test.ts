import { connect, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FleetControl } from "../../src/sim/control-client.ts";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import type { NanoFaultSpec, SimNanoInfo } from "../../src/sim/types.ts";
import { sleep, tcpProbe } from "./sim-helpers.ts";

// The simulated Nano node: its RPC, the NanoRPCProxy in front of it, its WebSocket, and faults.

let fleet: Fleet;
let control: FleetControl;
let nano: SimNanoInfo;
let cached: SimNanoInfo;

beforeAll(async () => {
  fleet = await startFleet([
    { id: "casper-too", version: "2.0" },
    { kind: "nano", id: "n1", blocksPerSec: 50, startCemented: 1_000_000, peers: 7 },
    { kind: "nano", id: "n-cache", blocksPerSec: 50, cacheSec: 1 },
  ]);
  control = new FleetControl(fleet.controlUrl);
  const [a, b] = fleet.nano;
  if (!a || !b) throw new Error("no nano nodes");
  nano = a;
  cached = b;
});
afterAll(() => fleet.stop());
afterEach(async () => {
  await control.heal("n1");
});

const fault = (spec: NanoFaultSpec) => control.setFault("n1", spec);
const base = (n: SimNanoInfo, port: keyof SimNanoInfo["ports"]) => `http://${n.host}:${n.ports[port]}`;

async function rpc(body: unknown, n = nano, init: { userAgent?: string } = {}) {
  const res = await fetch(`${base(n, "rpc")}/`, {
    method: "POST",
    headers: init.userAgent ? { "user-agent": init.userAgent } : {},
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: JSON.parse(text) as Record<string, unknown>,
  };
}

async function proxy(body: unknown, n = nano, method = "POST", path = "/proxy") {
  const res = await fetch(`${base(n, "proxy")}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: method === "POST" ? (typeof body === "string" ? body : JSON.stringify(body)) : undefined,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const cementedOf = (text: string) => Number((JSON.parse(text) as { cemented: string }).cemented);

describe("node RPC (7076)", () => {
  it("block_count: strings, boost layout, cemented grows", async () => {
    const first = await rpc({ action: "block_count" });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(first.headers.get("connection")).toBe("close");
    expect(first.text).toMatch(
      /^\{\n {4}"count": "\d+",\n {4}"unchecked": "\d+",\n {4}"cemented": "\d+"\n\}\n$/,
    );
    const c1 = Number(first.json.cemented);
    expect(c1).toBeGreaterThanOrEqual(1_000_000);
    expect(Number(first.json.count)).toBeGreaterThan(c1);
    await sleep(100);
    expect(Number((await rpc({ action: "block_count" })).json.cemented)).toBeGreaterThan(c1);
  });

  it("version, uptime, peers, telemetry, confirmation_quorum in the real shapes", async () => {
    expect((await rpc({ action: "version" })).json).toMatchObject({
      rpc_version: "1",
      protocol_version: "21",
      node_vendor: "Nano V27.1",
      network: "live",
      network_identifier: "991CF190094C00F0B68E2E5F75F6BEE95A2E0BD93CEAA4A6734DB9F19B728948",
    });
    expect((await rpc({ action: "uptime" })).json.seconds).toMatch(/^\d+$/);
    const peers = (await rpc({ action: "peers" })).json.peers as Record<string, string>;
    expect(Object.keys(peers)).toHaveLength(7);
    expect(Object.values(peers)[0]).toBe("21");
    const detailed = (await rpc({ action: "peers", peer_details: "true" })).json.peers as Record<
      string,
      object
    >;
    expect(Object.values(detailed)[0]).toMatchObject({ protocol_version: "21", type: "tcp" });
    const telemetry = (await rpc({ action: "telemetry" })).json;
    expect(telemetry).toMatchObject({ peer_count: "7", genesis_block: expect.stringMatching(/^991CF190/) });
    expect(Number(telemetry.cemented_count)).toBeGreaterThanOrEqual(1_000_000);
    const quorum = (await rpc({ action: "confirmation_quorum" })).json;
    expect(quorum.online_weight_quorum_percent).toBe("50");
    expect(quorum.online_stake_total).toMatch(/^\d{38}$/);
  });

  it("errors are HTTP 200 with {error}", async () => {
    expect((await rpc({ action: "frobnicate" })).json).toEqual({ error: "Unknown command" });
    expect((await rpc("{not json")).json).toEqual({ error: "Unable to parse JSON" });
    const get = await fetch(`${base(nano, "rpc")}/`);
    expect(await get.json()).toEqual({ error: "Can only POST requests" });
  });

  it("an isolated node reports peers as boost's empty string", async () => {
    const lonely = await startFleet([{ kind: "nano", id: "lonely", peers: 0 }]);
    try {
      const n = lonely.nano[0] as SimNanoInfo;
      expect((await rpc({ action: "peers" }, n)).json).toEqual({ peers: "" });
    } finally {
      await lonely.stop();
    }
  });
});

describe("NanoRPCProxy (9950 /proxy)", () => {
  it("answers allowed actions in compact JSON with its rate-limit fields", async () => {
    const r = await proxy({ action: "version" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(r.headers.get("x-ratelimit-limit")).toBe("5000");
    expect(r.text.startsWith('{"rpc_version":"1"')).toBe(true);
    expect(JSON.parse(r.text)).toMatchObject({ network: "live", requestsLimit: "5000" });
  });

  it("refuses actions not in allowed_commands with 500 `Action X not allowed`", async () => {
    for (const action of ["telemetry", "peers", "uptime"]) {
      const r = await proxy({ action });
      expect(r.status).toBe(500);
      expect(r.text).toBe(`{"error":"Action ${action} not allowed"}`);
    }
    expect((await proxy({})).text).toBe('{"error":"Action undefined not allowed"}');
  });

  it("caches block_count for cacheSec, like the proxy's node-cache", async () => {
    const a = cementedOf((await proxy({ action: "block_count" }, cached)).text);
    await sleep(300);
    const b = cementedOf((await proxy({ action: "block_count" }, cached)).text);
    expect(b).toBe(a); // the node moved on (50/s), the proxy did not
    await sleep(1000);
    expect(cementedOf((await proxy({ action: "block_count" }, cached)).text)).toBeGreaterThan(a);
  });

  it("also takes GET ?action=…; bad JSON is a 400; other paths are express's", async () => {
    const get = await fetch(`${base(nano, "proxy")}/proxy?action=version`);
    expect(((await get.json()) as { network: string }).network).toBe("live");
    const bad = await proxy("{nope");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error).toMatch(/JSON/);
    expect((await proxy(undefined, nano, "GET", "/")).text).toContain("Bad API path");
    const other = await proxy({ action: "version" }, nano, "POST", "/rpc");
    expect(other.status).toBe(404);
    expect(other.text).toContain("Cannot POST /rpc");
  });

  it("rate-limited: every request 429 with the proxy's text", async () => {
    await fault({ fault: "rate-limited" });
    const r = await proxy({ action: "block_count" });
    expect(r.status).toBe(429);
    expect(r.text).toMatch(/^Max allowed requests of 5000 reached\. Time left: \d+sec$/);
    expect(r.headers.get("x-ratelimit-remaining")).toBe("0");
    // The node's own RPC has no rate limiter.
    expect((await rpc({ action: "block_count" })).status).toBe(200);
  });

  it("action-blocked: the configured action is refused, the rest still work", async () => {
    await fault({ fault: "action-blocked", action: "block_count" });
    expect((await proxy({ action: "block_count" })).text).toBe('{"error":"Action block_count not allowed"}');
    expect((await proxy({ action: "version" })).status).toBe(200);
    await fault({ fault: "action-blocked" });
    expect((await proxy({ action: "version" })).text).toBe('{"error":"Action version not allowed"}');
  });
});

describe("faults", () => {
  it("stalled freezes the cemented count; healing resumes it", async () => {
    const stalled = await fault({ fault: "stalled" });
    await sleep(150);
    expect(Number((await rpc({ action: "block_count" })).json.cemented)).toBe(stalled.cemented);
    const healed = await control.heal("n1");
    expect((healed as SimNanoInfo).cemented).toBeGreaterThan(stalled.cemented);
  });

  it("lagging reports lagBlocks fewer than the network; the telemetry summary still shows the network", async () => {
    const info = await fault({ fault: "lagging", lagBlocks: 5000 });
    expect(info.networkCemented - info.cemented).toBeGreaterThanOrEqual(4990);
    const own = Number((await rpc({ action: "block_count" })).json.cemented);
    const network = Number((await rpc({ action: "telemetry" })).json.cemented_count);
    expect(network - own).toBeGreaterThanOrEqual(4990);
  });

  it("wrong-network reports beta and another genesis", async () => {
    await fault({ fault: "wrong-network" });
    const v = (await rpc({ action: "version" })).json;
    expect(v.network).toBe("beta");
    expect(v.network_identifier).not.toMatch(/^991CF190/);
  });

  it("slow delays RPC and proxy answers", async () => {
    await fault({ fault: "slow", delayMs: 300 });
    const started = Date.now();
    await Promise.all([rpc({ action: "version" }), proxy({ action: "version" })]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("refusing closes every port and reopens them on the same ports", async () => {
    await fault({ fault: "refusing" });
    for (const port of Object.values(nano.ports)) {
      expect((await tcpProbe(nano.host, port)).code).toBe("ECONNREFUSED");
    }
    await control.heal("n1");
    expect((await rpc({ action: "version" })).status).toBe(200);
  });

  it("hung accepts and never answers", async () => {
    await fault({ fault: "hung" });
    const outcome = await Promise.race([
      fetch(`${base(nano, "proxy")}/proxy`, { method: "POST", body: '{"action":"version"}' }).then(
        () => "answered",
      ),
      sleep(400).then(() => "silent"),
    ]);
    expect(outcome).toBe("silent");
  });

  it("garbage answers an nginx page with status 200", async () => {
    await fault({ fault: "garbage" });
    const r = await proxy({ action: "block_count" });
    expect(r.status).toBe(200);
    expect(r.text).toContain("502 Bad Gateway");
  });

  it("a fault can hit one User-Agent only", async () => {
    await fault({ fault: "wrong-network", userAgentContains: "vantage-b" });
    expect((await rpc({ action: "version" }, nano, { userAgent: "x (vantage-a)" })).json.network).toBe(
      "live",
    );
    expect((await rpc({ action: "version" }, nano, { userAgent: "x (vantage-b)" })).json.network).toBe(
      "beta",
    );
  });

  it("the control API validates Nano faults by their own list", async () => {
    const put = (body: unknown) =>
      fetch(`${fleet.controlUrl}/nodes/n1/fault`, { method: "PUT", body: JSON.stringify(body) });
    const bad = await put({ fault: "catchup" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(
      /^fault: expected one of healthy, stalled, lagging, slow, refusing, hung, garbage, wrong-network, rate-limited, action-blocked/,
    );
    expect(((await (await put({ fault: "slow", delay: 1 })).json()) as { error: string }).error).toBe(
      "delay: unknown field",
    );
    expect((await put({ fault: "lagging", lagBlocks: -1 })).status).toBe(400);
  });

  it("layout errors name the node and field", async () => {
    await expect(startFleet([{ kind: "nano", id: "bad", network: "main" as "live" }])).rejects.toThrow(
      /"bad": network: expected live \| beta \| test \| dev/,
    );
    await expect(
      startFleet([{ kind: "nano", id: "bad", fault: { fault: "melting" as "hung" } }]),
    ).rejects.toThrow(/"bad": fault\.fault: expected one of/);
  });
});

describe("control API with a mixed fleet", () => {
  it("GET /nodes stays Casper-only; GET /fleet has every kind", async () => {
    expect((await control.nodes()).map((n) => n.id)).toEqual(["casper-too"]);
    const info = await control.info();
    expect(info.nodes.map((n) => n.id)).toEqual(["casper-too"]);
    expect(info.nano.map((n) => n.id)).toEqual(["n1", "n-cache"]);
    expect(info.nano[0]?.ports).toEqual(nano.ports);
    expect(info.nano[0]).toMatchObject({ kind: "nano", network: "live", cacheSec: 30, blocksPerSec: 50 });
  });

  it("counts requests per port", async () => {
    await control.resetStats("n1");
    await rpc({ action: "version" });
    await proxy({ action: "version" });
    const stats = await control.memberStats("n1");
    expect(stats.requests).toEqual({ rpc: 1, proxy: 1, ws: 0 });
  });
});

// --- WebSocket (7078) ------------------------------------------------------------------------

/** Node's own WebSocket client (undici): an independent check of the server's RFC 6455. */
function wsOpen(n = nano): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${n.host}:${n.ports.ws}`);
    ws.addEventListener("open", () => resolve(ws), { once: true });
    ws.addEventListener("error", () => reject(new Error("ws error")), { once: true });
  });
}

function nextMessage(ws: WebSocket, ms: number): Promise<string | "timeout"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), ms);
    ws.addEventListener(
      "message",
      (ev) => {
        clearTimeout(timer);
        resolve(String(ev.data));
      },
      { once: true },
    );
  });
}

describe("WebSocket (7078)", () => {
  it('answers {"action":"ping"} with {"ack":"pong","time":…}', async () => {
    const ws = await wsOpen();
    try {
      ws.send(JSON.stringify({ action: "ping" }));
      const reply = JSON.parse((await nextMessage(ws, 1000)) as string);
      expect(reply.ack).toBe("pong");
      expect(Math.abs(Number(reply.time) - Date.now())).toBeLessThan(5000);
      ws.send(JSON.stringify({ action: "subscribe", topic: "confirmation", ack: true, id: "x1" }));
      expect(JSON.parse((await nextMessage(ws, 1000)) as string)).toMatchObject({
        ack: "subscribe",
        id: "x1",
      });
    } finally {
      ws.close();
    }
  });

  it("slow: the pong comes delayMs late", async () => {
    await fault({ fault: "slow", delayMs: 300 });
    const ws = await wsOpen();
    try {
      ws.send('{"action":"ping"}');
      const started = Date.now();
      expect(await nextMessage(ws, 2000)).toContain("pong");
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    } finally {
      ws.close();
    }
  });

  it("hung: upgrades, then never answers", async () => {
    await fault({ fault: "hung" });
    const ws = await wsOpen();
    ws.send('{"action":"ping"}');
    expect(await nextMessage(ws, 400)).toBe("timeout");
    ws.close();
  });

  it("garbage: answers with something that is not JSON", async () => {
    await fault({ fault: "garbage" });
    const ws = await wsOpen();
    try {
      ws.send('{"action":"ping"}');
      const reply = (await nextMessage(ws, 1000)) as string;
      expect(() => JSON.parse(reply)).toThrow();
    } finally {
      ws.close();
    }
  });

  it("refusing: the port is closed and open sockets are closed", async () => {
    const ws = await wsOpen();
    const closed = new Promise<void>((resolve) =>
      ws.addEventListener("close", () => resolve(), { once: true }),
    );
    await fault({ fault: "refusing" });
    await closed;
    await expect(wsOpen()).rejects.toThrow();
  });

  it("a plain HTTP request gets 426", async () => {
    const res = await fetch(`http://${nano.host}:${nano.ports.ws}/`);
    expect(res.status).toBe(426);
  });
});

describe("WebSocket framing (raw RFC 6455)", () => {
  const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  function rawUpgrade(): Promise<{ socket: Socket; head: string; read: () => Buffer }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: nano.host, port: nano.ports.ws });
      let data = Buffer.alloc(0);
      let head: string | undefined;
      socket.on("data", (chunk) => {
        data = Buffer.concat([data, chunk]);
        if (head === undefined) {
          const end = data.indexOf("\r\n\r\n");
          if (end === -1) return;
          const text = data.subarray(0, end).toString("latin1");
          head = text;
          data = data.subarray(end + 4);
          resolve({ socket, head: text, read: () => data });
        }
      });
      socket.once("error", reject);
      socket.write(
        "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  function clientFrame(opcode: number, payload: Buffer, fin = true, masked = true): Buffer {
    const mask = Buffer.from([1, 2, 3, 4]);
    const head = Buffer.from([(fin ? 0x80 : 0) | opcode, (masked ? 0x80 : 0) | payload.length]);
    const body = Buffer.from(payload.map((b, i) => (masked ? b ^ (mask[i & 3] ?? 0) : b)));
    return Buffer.concat(masked ? [head, mask, body] : [head, body]);
  }

  it("the handshake carries the RFC's accept value", async () => {
    const { socket, head } = await rawUpgrade();
    socket.destroy();
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    // RFC 6455 §1.3 example key → accept.
    expect(head).toContain("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("reassembles a fragmented message and answers control pings", async () => {
    const { socket, read } = await rawUpgrade();
    try {
      const msg = Buffer.from('{"action":"ping"}');
      socket.write(clientFrame(0x1, msg.subarray(0, 5), false));
      socket.write(clientFrame(0x9, Buffer.from("hi"))); // a control frame between fragments
      socket.write(clientFrame(0x0, msg.subarray(5), true));
      await sleep(200);
      const data = read();
      expect(data[0]).toBe(0x8a); // pong, FIN
      expect(data.subarray(2, 4).toString()).toBe("hi");
      expect(data[4]).toBe(0x81); // text, FIN
      expect(data.subarray(6).toString()).toContain('"ack": "pong"');
    } finally {
      socket.destroy();
    }
  });

  it("an unmasked client frame fails the connection with 1002", async () => {
    const { socket, read } = await rawUpgrade();
    try {
      socket.write(clientFrame(0x1, Buffer.from('{"action":"ping"}'), true, false));
      await sleep(200);
      const data = read();
      expect(data[0]).toBe(0x88); // close
      expect(data.readUInt16BE(2)).toBe(1002);
    } finally {
      socket.destroy();
    }
  });

  it("a close frame is echoed and the socket ends", async () => {
    const { socket, read } = await rawUpgrade();
    const ended = new Promise<void>((resolve) => socket.once("end", () => resolve()));
    const code = Buffer.alloc(2);
    code.writeUInt16BE(1000);
    socket.write(clientFrame(0x8, code));
    await ended;
    expect(read()[0]).toBe(0x88);
    expect(read().readUInt16BE(2)).toBe(1000);
    socket.destroy();
  });
});
