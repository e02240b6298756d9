import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FleetControl } from "../../src/sim/control-client.ts";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import type { FleetInfo, SimNodeSpec } from "../../src/sim/types.ts";
import { getJson, runScriptToExit, url } from "./sim-helpers.ts";

const FLEET_MODULE = fileURLToPath(new URL("../../src/sim/fleet.ts", import.meta.url));
const CLI = fileURLToPath(new URL("../../src/sim/cli.ts", import.meta.url));

let fleet: Fleet;
let control: FleetControl;

beforeAll(async () => {
  fleet = await startFleet([
    { id: "ctl-a", version: "2.0", blockTimeMs: 200 },
    { id: "ctl-b", version: "1.5", blockTimeMs: 200, fault: { fault: "lagging", lagBlocks: 7 } },
  ]);
  control = new FleetControl(fleet.controlUrl);
});
afterAll(() => fleet.stop());

async function put(path: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(fleet.controlUrl + path, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: res.status, text: await res.text() };
}

describe("control API", () => {
  it("lists nodes with current height and fault", async () => {
    const nodes = await control.nodes();
    expect(nodes.map((node) => [node.id, node.fault.fault])).toEqual([
      ["ctl-a", "healthy"],
      ["ctl-b", "lagging"],
    ]);
    const [a, b] = nodes;
    expect(a?.ports).toEqual(fleet.nodes[0]?.ports);
    expect((a?.height ?? 0) - (b?.height ?? 0)).toBeGreaterThanOrEqual(6);
    expect(a?.host).toBe("127.0.0.1");
  });

  it("switches a fault and returns the node", async () => {
    const updated = await control.setFault("ctl-a", { fault: "wrong-chain" });
    expect(updated.fault).toEqual({ fault: "wrong-chain" });
    expect((await getJson(url(updated, "rest", "/status"))).body.chainspec_name).toBe("wrong-chain");
    expect((await control.heal("ctl-a")).fault).toEqual({ fault: "healthy" });
  });

  it("400s a bad fault body, naming the field", async () => {
    const unknown = await put("/nodes/ctl-a/fault", JSON.stringify({ fault: "on-fire" }));
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text).error).toMatch(/^fault: expected one of healthy, stalled/);
    const lag = await put("/nodes/ctl-a/fault", JSON.stringify({ fault: "lagging", lagBlocks: -1 }));
    expect(lag.status).toBe(400);
    expect(JSON.parse(lag.text).error).toMatch(/^lagBlocks:/);
    const extra = await put("/nodes/ctl-a/fault", JSON.stringify({ fault: "slow", delay: 5 }));
    expect(JSON.parse(extra.text).error).toBe("delay: unknown field");
    const notJson = await put("/nodes/ctl-a/fault", "{");
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.text).error).toMatch(/^body:/);
    expect((await control.nodes())[0]?.fault).toEqual({ fault: "healthy" });
  });

  it("404s an unknown node or route", async () => {
    const res = await put("/nodes/nope/fault", JSON.stringify({ fault: "healthy" }));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error).toContain("nope");
    await expect(control.stats("nope")).rejects.toThrow(/HTTP 404/);
    expect((await fetch(`${fleet.controlUrl}/elsewhere`)).status).toBe(404);
  });

  it("counts requests per port, in-flight peaks and User-Agents; resets", async () => {
    await control.resetStats("ctl-a");
    const node = (await control.nodes())[0];
    if (node === undefined) throw new Error("no node");
    await Promise.all(
      ["probe-1", "probe-2", "probe-3"].map((agent) =>
        fetch(url(node, "rest", "/status"), { headers: { "user-agent": agent } }).then((res) => res.text()),
      ),
    );
    const stats = await control.stats("ctl-a");
    expect(stats.requests).toEqual({ rest: 3, rpc: 0, sse: 0, p2p: 0 });
    expect(stats.inFlight).toBe(0);
    expect(stats.maxInFlight).toBeGreaterThanOrEqual(1);
    expect([...stats.userAgents].sort()).toEqual(["probe-1", "probe-2", "probe-3"]);
    await control.resetStats("ctl-a");
    expect(await control.stats("ctl-a")).toEqual({
      requests: { rest: 0, rpc: 0, sse: 0, p2p: 0 },
      rpcMethods: {},
      rpcBytes: 0,
      inFlight: 0,
      maxInFlight: 0,
      userAgents: [],
    });
  });
});

describe("fleet start", () => {
  it("refuses a layout with a duplicate id or a bad field", async () => {
    const twice: SimNodeSpec[] = [
      { id: "x", version: "2.0" },
      { id: "x", version: "1.5" },
    ];
    await expect(startFleet(twice)).rejects.toThrow(/"x": id: used twice/);
    await expect(startFleet([{ id: "y", version: "3.0" as "2.0" }])).rejects.toThrow(/version/);
    await expect(
      startFleet([{ id: "z", version: "2.0", fault: { fault: "melting" as "hung" } }]),
    ).rejects.toThrow(/fault\.fault: expected one of/);
  });

  it("binds fixed ports when the layout asks for them", async () => {
    const free = await freePort();
    const fixed = await startFleet([{ id: "fixed", version: "2.0", ports: { rest: free } }]);
    try {
      expect(fixed.nodes[0]?.ports.rest).toBe(free);
      expect((await fetch(`http://127.0.0.1:${free}/status`)).status).toBe(200);
    } finally {
      await fixed.stop();
    }
  });
});

describe("process lifecycle", () => {
  it("stop() leaves nothing that keeps the process alive (streams, hung sockets, slow timers)", async () => {
    const script = `
      import { request } from "node:http";
      import { connect } from "node:net";
      const { startFleet } = await import(${JSON.stringify(FLEET_MODULE)});
      const fleet = await startFleet([
        { id: "a", version: "2.0", blockTimeMs: 100, keepAliveMs: 50 },
        { id: "h", version: "1.5", fault: { fault: "hung" } },
        { id: "s", version: "2.0", fault: { fault: "slow", delayMs: 60000 } },
      ]);
      const [a, h, s] = fleet.nodes;
      const open = (port, path) => request({ host: "127.0.0.1", port, path, agent: false })
        .on("error", () => {}).on("response", (res) => res.on("data", () => {}).on("error", () => {})).end();
      open(a.ports.sse, "/events");
      open(h.ports.rest, "/status");
      open(s.ports.rest, "/status");
      connect({ host: "127.0.0.1", port: h.ports.p2p }).on("error", () => {});
      connect({ host: "127.0.0.1", port: a.ports.p2p }).on("error", () => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
      await fleet.stop();
      console.log("stopped");
    `;
    const { output, exit } = await runScriptToExit(script, 5000);
    expect(output.trim()).toBe("stopped");
    expect(exit).toBe(0);
  });

  it("cli.ts prints the fleet as one JSON line and exits cleanly on SIGINT", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-cli-"));
    const layout = join(dir, "layout.json");
    writeFileSync(layout, JSON.stringify([{ id: "cli-a", version: "2.0", blockTimeMs: 500 }]));
    const child = spawn(process.execPath, [CLI, "--layout", layout], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`cli exited early with ${code}`)));
      });
      const printed = JSON.parse(line) as FleetInfo;
      expect(printed.nodes.map((node) => node.id)).toEqual(["cli-a"]);
      const node = printed.nodes[0];
      if (node === undefined) throw new Error("no node");
      expect((await getJson(url(node, "rest", "/status"))).status).toBe(200);
      expect((await new FleetControl(printed.controlUrl).nodes())[0]?.id).toBe("cli-a");
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}
