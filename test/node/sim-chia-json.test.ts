import { type IncomingMessage, request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FleetControl } from "../../src/sim/control-client.ts";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import { wrongValues } from "../../src/sim/generic/json-endpoint.ts";
import type { FleetSpec, SimChiaInfo, SimJsonInfo } from "../../src/sim/types.ts";
import { runScriptToExit, sleep, tcpProbe } from "./sim-helpers.ts";

// The Chia peer port (TCP only) and the generic JSON / JSON-RPC endpoint.

const FLEET_MODULE = fileURLToPath(new URL("../../src/sim/fleet.ts", import.meta.url));

let fleet: Fleet;
let control: FleetControl;
let chia: SimChiaInfo;
let json: SimJsonInfo;

beforeAll(async () => {
  fleet = await startFleet([
    { kind: "chia", id: "peer" },
    {
      kind: "json",
      id: "api",
      path: "/status",
      body: { status: "UP", height: 42, peers: ["a", "b"], synced: true },
      rpc: { info_get_status: { api_version: "2.0.0", peers: [{ node_id: "tls:01" }] } },
    },
  ]);
  control = new FleetControl(fleet.controlUrl);
  chia = fleet.chia[0] as SimChiaInfo;
  json = fleet.json[0] as SimJsonInfo;
});
afterAll(() => fleet.stop());
afterEach(async () => {
  await Promise.all([control.heal("peer"), control.heal("api")]);
});

/** One GET on a keep-alive agent, so the answer's Connection header is the server's choice. */
function httpGet(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: "keep-alive" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res));
    });
    req.on("error", reject);
    req.end();
  });
}

const url = (path = "/status") => `http://${json.host}:${json.ports.http}${path}`;
const rpc = (method: string, id: unknown = 9) =>
  fetch(url(), { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id, method }) }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, unknown>,
  }));

describe("Chia peer (8444)", () => {
  it("healthy: accepts, says nothing, drops a client that sends non-TLS bytes", async () => {
    const probe = await tcpProbe(chia.host, chia.ports.peer, 50);
    expect(probe).toEqual({ connected: true, received: "" });
  });

  it("refusing: the port is closed, and reopens on the same port", async () => {
    await control.setFault("peer", { fault: "refusing" });
    expect((await tcpProbe(chia.host, chia.ports.peer)).code).toBe("ECONNREFUSED");
    await control.heal("peer");
    expect((await tcpProbe(chia.host, chia.ports.peer)).connected).toBe(true);
  });

  it("hung: accepts and holds the connection", async () => {
    await control.setFault("peer", { fault: "hung" });
    expect((await tcpProbe(chia.host, chia.ports.peer, 100)).connected).toBe(true);
    expect((await control.memberStats("peer")).requests.peer).toBeGreaterThan(0);
  });

  it("only knows its own faults", async () => {
    await expect(control.setFault("peer", { fault: "slow" } as never)).rejects.toThrow(
      /HTTP 400 .*fault: expected one of healthy, refusing, hung/,
    );
  });
});

describe("JSON endpoint", () => {
  it("healthy: the configured body on the configured path, 404 elsewhere", async () => {
    const res = await fetch(url());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "UP", height: 42, peers: ["a", "b"], synced: true });
    expect((await fetch(url("/other"))).status).toBe(404);
  });

  it("JSON-RPC: echoes the id, answers from rpc, -32601 for unknown methods", async () => {
    expect(await rpc("info_get_status", "abc")).toEqual({
      status: 200,
      body: { jsonrpc: "2.0", id: "abc", result: { api_version: "2.0.0", peers: [{ node_id: "tls:01" }] } },
    });
    expect((await rpc("nope")).body.error).toEqual({ code: -32601, message: "Method not found" });
  });

  it("wrong-values: same shape, other values (body and RPC result)", async () => {
    await control.setFault("api", { fault: "wrong-values" });
    expect(await (await fetch(url())).json()).toEqual({
      status: "wrong",
      height: 0,
      peers: [],
      synced: false,
    });
    expect((await rpc("info_get_status")).body.result).toEqual({ api_version: "wrong", peers: [] });
  });

  it("down: 503 {status: DOWN}", async () => {
    await control.setFault("api", { fault: "down" });
    const res = await fetch(url());
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "DOWN" });
  });

  it("garbage, slow, hung, refusing", async () => {
    await control.setFault("api", { fault: "garbage" });
    expect(await (await fetch(url())).text()).toContain("502 Bad Gateway");

    await control.setFault("api", { fault: "slow", delayMs: 250 });
    const started = Date.now();
    await (await fetch(url())).json();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);

    await control.setFault("api", { fault: "hung" });
    const outcome = await Promise.race([
      fetch(url()).then(() => "answered"),
      sleep(300).then(() => "silent"),
    ]);
    expect(outcome).toBe("silent");

    await control.setFault("api", { fault: "refusing" });
    expect((await tcpProbe(json.host, json.ports.http)).code).toBe("ECONNREFUSED");
  });

  it("wrongValues keeps keys and nesting", () => {
    expect(wrongValues({ a: { b: [1], c: "x", d: null } })).toEqual({ a: { b: [], c: "wrong", d: null } });
  });
});

describe("mixed layouts", () => {
  it("refuses an unknown kind, a duplicate id across kinds, bad fields", async () => {
    await expect(startFleet([{ kind: "solana", id: "s" } as unknown as FleetSpec])).rejects.toThrow(
      /"s": kind: expected nano, chia or json/,
    );
    await expect(
      startFleet([
        { kind: "chia", id: "dup" },
        { kind: "json", id: "dup" },
      ]),
    ).rejects.toThrow(/"dup": id: used twice/);
    await expect(startFleet([{ kind: "json", id: "j", path: "status" }])).rejects.toThrow(
      /"j": path: expected a path/,
    );
    await expect(
      startFleet([{ kind: "json", id: "j", fault: { fault: "refusing", delayMs: -2 } }]),
    ).rejects.toThrow(/"j": fault\.delayMs: expected an integer >= 0/);
  });

  it("keepAlive: false closes each connection after its answer; the default keeps it", async () => {
    const f = await startFleet([
      { kind: "json", id: "closes", keepAlive: false },
      { kind: "json", id: "keeps" },
    ]);
    try {
      const get = async (j: SimJsonInfo) => {
        const res = await httpGet(`http://${j.host}:${j.ports.http}/health`);
        return res.headers.connection;
      };
      const [closes, keeps] = f.json as [SimJsonInfo, SimJsonInfo];
      expect(await get(closes)).toBe("close");
      expect(await get(keeps)).toBe("keep-alive");
    } finally {
      await f.stop();
    }
    await expect(
      startFleet([{ kind: "json", id: "j", keepAlive: "no" as unknown as boolean }]),
    ).rejects.toThrow(/"j": keepAlive: expected true or false/);
  });

  it("a member that starts refusing has its port reserved but closed", async () => {
    const f = await startFleet([{ kind: "chia", id: "c", fault: { fault: "refusing" } }]);
    try {
      const info = f.chia[0] as SimChiaInfo;
      expect(info.ports.peer).toBeGreaterThan(0);
      expect((await tcpProbe(info.host, info.ports.peer)).code).toBe("ECONNREFUSED");
    } finally {
      await f.stop();
    }
  });

  it("stop() closes every member's listeners", async () => {
    const f = await startFleet([
      { kind: "nano", id: "n", fault: { fault: "hung" } },
      { kind: "chia", id: "c", fault: { fault: "hung" } },
      { kind: "json", id: "j", fault: { fault: "slow", delayMs: 60_000 } },
    ]);
    const n = f.nano[0];
    const c = f.chia[0];
    const j = f.json[0];
    if (!n || !c || !j) throw new Error("members missing");
    // Leave a hung request, a held TCP connection and a slow request open.
    const pending = [
      fetch(`http://${n.host}:${n.ports.proxy}/proxy`, { method: "POST", body: "{}" }).catch(() => "gone"),
      fetch(`http://${j.host}:${j.ports.http}/health`).catch(() => "gone"),
    ];
    const held = await tcpProbe(c.host, c.ports.peer, 50);
    expect(held.connected).toBe(true);
    await f.stop();
    expect(await Promise.all(pending)).toEqual(["gone", "gone"]);
    for (const port of [n.ports.rpc, n.ports.proxy, n.ports.ws, c.ports.peer, j.ports.http]) {
      expect((await tcpProbe("127.0.0.1", port)).code).toBe("ECONNREFUSED");
    }
  });

  it("stop() leaves nothing that keeps the process alive (open WebSockets, slow pongs, held peers)", async () => {
    const script = `
      import { connect } from "node:net";
      const { startFleet } = await import(${JSON.stringify(FLEET_MODULE)});
      const fleet = await startFleet([
        { kind: "nano", id: "hung", fault: { fault: "hung" } },
        { kind: "nano", id: "slow", fault: { fault: "slow", delayMs: 60000 } },
        { kind: "chia", id: "c", fault: { fault: "hung" } },
        { kind: "json", id: "j", fault: { fault: "slow", delayMs: 60000 } },
      ]);
      const [hung, slow] = fleet.nano;
      for (const n of [hung, slow]) {
        const ws = new WebSocket("ws://127.0.0.1:" + n.ports.ws);
        ws.addEventListener("open", () => ws.send('{"action":"ping"}'));
        ws.addEventListener("error", () => {});
      }
      connect({ host: "127.0.0.1", port: fleet.chia[0].ports.peer }).on("error", () => {});
      fetch("http://127.0.0.1:" + fleet.json[0].ports.http + "/health").catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
      await fleet.stop();
      console.log("stopped");
    `;
    const { output, exit } = await runScriptToExit(script, 8000);
    expect(output.trim()).toBe("stopped");
    expect(exit).toBe(0);
  });
});
