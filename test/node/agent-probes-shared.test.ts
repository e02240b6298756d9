import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_PROBES, runAgentProbe } from "../../src/agent/probes/registry.ts";
import { KINDS } from "../../src/core/kinds/index.ts";
import { FleetControl } from "../../src/sim/control-client.ts";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import type { SimJsonInfo, SimNanoInfo } from "../../src/sim/types.ts";

// The Worker's fetch-based kinds that the agent runs too (nano-rpc, http, json-rpc), through the
// agent's own runner and platform, against the simulated fleet: what the descriptors promise.

let fleet: Fleet;
let control: FleetControl;
let nano: SimNanoInfo;
let json: SimJsonInfo;
const options = { timeoutMs: 2000, userAgent: "chain-uptime-agent/test" };
const signal = () => new AbortController().signal;

beforeAll(async () => {
  fleet = await startFleet([
    { id: "resetting", version: "2.0", fault: { fault: "reset" } },
    { kind: "nano", id: "n1", blocksPerSec: 50, startCemented: 1_000_000, peers: 7 },
    {
      kind: "json",
      id: "api",
      path: "/status",
      body: { status: "UP", height: 42 },
      rpc: { eth_blockNumber: "0x2a" },
    },
  ]);
  control = new FleetControl(fleet.controlUrl);
  nano = fleet.nano[0] as SimNanoInfo;
  json = fleet.json[0] as SimJsonInfo;
});
afterAll(() => fleet.stop());

describe("the agent's probe table", () => {
  it("has a probe for every kind whose descriptor names the agent, and no other", () => {
    const declared = KINDS.filter((k) => (k.runsIn as readonly string[]).includes("agent")).map(
      (k) => k.kind,
    );
    expect(Object.keys(AGENT_PROBES).sort()).toEqual([...declared].sort());
  });
});

describe("tcp from the agent", () => {
  it("a port that accepts and resets at once is open, the same on every run", async () => {
    const node = fleet.nodes[0];
    if (!node) throw new Error("no node");
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await runAgentProbe(
        { kind: "tcp", host: node.host, port: node.ports.p2p },
        options,
        signal(),
      );
      outcomes.push(r.ok ? "up" : (r.error?.message ?? "?"));
    }
    expect(outcomes).toEqual(Array(20).fill("up"));
  });
});

describe("Worker kinds run by the agent", () => {
  it("nano-rpc: reads the cemented count and version from the node's RPC", async () => {
    const r = await runAgentProbe(
      {
        kind: "nano-rpc",
        url: `http://${nano.host}:${nano.ports.rpc}/`,
        actions: ["block_count", "version"],
        maxBodyBytes: 1_048_576,
      },
      options,
      signal(),
    );
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts?.height).toBeGreaterThanOrEqual(1_000_000);
    expect(r.facts?.version).toBeDefined();
  });

  it("nano-rpc: a refusing node is refused, with no host or port in the message", async () => {
    await control.setFault("n1", { fault: "refusing" });
    try {
      const r = await runAgentProbe(
        {
          kind: "nano-rpc",
          url: `http://${nano.host}:${nano.ports.rpc}/`,
          actions: ["block_count"],
          maxBodyBytes: 1_048_576,
        },
        options,
        signal(),
      );
      expect(r.error?.kind).toBe("refused");
      expect(r.error?.message).not.toContain(String(nano.ports.rpc));
    } finally {
      await control.heal("n1");
    }
  });

  it("http: conditions are judged on the agent's side as in the Worker", async () => {
    const r = await runAgentProbe(
      {
        kind: "http",
        url: `http://${json.host}:${json.ports.http}/status`,
        method: "GET",
        conditions: ["[STATUS] == 200", "[BODY].height > 100"],
        maxBodyBytes: 1_048_576,
      },
      options,
      signal(),
    );
    expect(r.ok).toBe(true);
    expect(r.conditions?.map((c) => [c.condition, c.ok])).toEqual([
      ["[STATUS] == 200", true],
      ["[BODY].height > 100", false],
    ]);
  });

  it("json-rpc: the call's result reaches the conditions", async () => {
    const r = await runAgentProbe(
      {
        kind: "json-rpc",
        url: `http://${json.host}:${json.ports.http}/status`,
        method: "eth_blockNumber",
        conditions: ["[BODY].result == 0x2a"],
        maxBodyBytes: 2_097_152,
      },
      options,
      signal(),
    );
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.conditions?.[0]?.ok).toBe(true);
  });
});
