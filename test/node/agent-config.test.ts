import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/agent/config.ts";
import { planBatch } from "../../src/core/agent/scope.ts";
import { parseConfig } from "../../src/core/config/load.ts";
import type { ConfigInput } from "../../src/core/config/schema.ts";

const base = (extra: Partial<ConfigInput> = {}): ConfigInput => ({
  version: 1,
  agents: [{ id: "ops-1", keySecret: "AGENT_OPS_1_KEY" }],
  monitors: [
    {
      id: "val-cert",
      name: "Validator certificate",
      chain: "generic",
      check: { kind: "tls-cert", host: "node.example", port: 443 },
      regions: [],
      agents: ["ops-1"],
    },
    {
      id: "val-rest",
      name: "Validator REST",
      chain: "casper",
      check: { kind: "casper-rest", url: "http://node.example:8888/status" },
      regions: ["weur", "enam"],
      agents: ["ops-1"],
    },
  ],
  ...extra,
});

const issues = (input: unknown) => {
  const r = parseConfig(input);
  return r.ok ? [] : r.issues;
};

describe("config: agents and agent check kinds", () => {
  it("accepts agent monitors and agents as extra vantages of region monitors", () => {
    const r = parseConfig(base());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.agents[0]).toMatchObject({ id: "ops-1", heartbeatSec: 30 });
    expect(r.config.monitors[1]?.agents).toEqual(["ops-1"]);
  });

  it("refuses an agent-only kind probed from regions, with a clear message", () => {
    const input = base();
    const { regions: _r, ...noRegions } = input.monitors[0] as Record<string, unknown>;
    input.monitors[0] = noRegions as ConfigInput["monitors"][number];
    expect(issues(input)).toEqual([
      {
        path: "monitors[0].regions",
        message:
          'check kind \'tls-cert\' runs on agents only (Workers cannot do it); set "regions": [] (the default is ["weur"]) and list the agents in "agents"',
      },
    ]);
  });

  it("refuses agents on a kind the agent does not run (its descriptor says Worker only)", () => {
    const input = base();
    input.monitors.push({
      id: "val-metrics",
      name: "Validator metrics",
      chain: "casper",
      check: { kind: "casper-metrics", url: "http://node.example:8888/metrics" },
      agents: ["ops-1"],
    });
    expect(issues(input)).toEqual([
      {
        path: "monitors[2].agents",
        message: "check kind 'casper-metrics' does not run on agents; probe it from regions only",
      },
    ]);
  });

  it("refuses unknown agents, a monitor with no vantage, repeats and a quorum above the vantages", () => {
    const input = base();
    const m0 = input.monitors[0] as Record<string, unknown>;
    const m1 = input.monitors[1] as Record<string, unknown>;
    m0.agents = ["ops-9"];
    m1.agents = ["ops-1", "ops-1"];
    m1.quorum = 5;
    input.monitors.push({
      id: "nothing",
      name: "n",
      chain: "generic",
      check: { kind: "udp", host: "h", port: 1, sendText: "x" },
      regions: [],
    });
    const paths = issues(input).map((i) => `${i.path}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        "monitors[0].agents[0]: unknown agent 'ops-9' (configured agents: ops-1)",
        "monitors[1].agents: agents must not repeat",
        "monitors[1].quorum: quorum (5) cannot exceed the number of vantages (2 regions + 2 agents)",
        "monitors[2].regions: a monitor needs at least one region or agent",
      ]),
    );
  });

  it("agent ids and key ids are unique; keys are secret names, never values", () => {
    const input = base({
      agents: [
        { id: "ops-1", keySecret: "AGENT_OPS_1_KEY" },
        { id: "ops-1", keySecret: "whsec_abcdef" },
      ],
    });
    const found = issues(input).map((i) => i.path);
    expect(found).toEqual(expect.arrayContaining(["agents[1].id", "agents[1].keyId", "agents[1].keySecret"]));
  });

  it("agent kinds must match the monitor's chain", () => {
    const input = base();
    (input.monitors[0] as Record<string, unknown>).check = { kind: "nano-peering", host: "h" };
    (input.monitors[0] as Record<string, unknown>).chain = "casper";
    expect(issues(input)[0]).toMatchObject({ path: "monitors[0].check.kind" });
  });
});

describe("planBatch: an agent's scope", () => {
  const config = (() => {
    const r = parseConfig({
      ...base(),
      monitors: [
        ...base().monitors,
        {
          id: "other",
          name: "o",
          chain: "generic",
          check: { kind: "tcp", host: "h", port: 1 },
          regions: ["weur"],
        },
      ],
    });
    if (!r.ok) throw new Error("bad test config");
    return r.config;
  })();
  const agent = config.agents[0] as (typeof config.agents)[number];
  const now = Date.now();
  const record = (monitorId: string, extra: Record<string, unknown> = {}) => ({
    monitorId,
    vantage: "agent:ops-1",
    scheduledAt: now - 1000,
    checkedAt: now - 1000,
    result: { ok: true, latencyMs: 3 },
    ...extra,
  });
  const batch = (records: ReturnType<typeof record>[]) => ({
    agentId: "ops-1",
    batchId: "b-12345678",
    createdAt: now,
    records,
  });

  it("splits records by state object", () => {
    const plan = planBatch(
      config,
      agent,
      batch([record("val-cert"), record("val-rest"), record("val-cert")]),
      now,
    );
    expect(plan).toMatchObject({
      ok: true,
      parts: [
        { shard: "state:generic:default", records: [{ monitorId: "val-cert" }, { monitorId: "val-cert" }] },
        { shard: "state:casper:default", records: [{ monitorId: "val-rest" }] },
      ],
    });
  });

  it("refuses monitors not assigned to the agent, naming them", () => {
    const plan = planBatch(config, agent, batch([record("val-cert"), record("other"), record("ghost")]), now);
    expect(plan).toMatchObject({
      ok: false,
      status: 403,
      body: { error: "out_of_scope", monitors: ["other", "ghost"] },
    });
  });

  it("refuses a vantage other than the agent's own", () => {
    const plan = planBatch(config, agent, batch([record("val-cert", { vantage: "weur" })]), now);
    expect(plan).toMatchObject({ ok: false, status: 403, body: { error: "out_of_scope" } });
  });

  it("refuses records older than retention or from the future", () => {
    const old = planBatch(
      config,
      agent,
      batch([record("val-cert", { checkedAt: now - 8 * 86_400_000 })]),
      now,
    );
    expect(old).toMatchObject({ ok: false, status: 422, body: { error: "stale_records" } });
    const future = planBatch(config, agent, batch([record("val-cert", { checkedAt: now + 3_600_000 })]), now);
    expect(future).toMatchObject({ ok: false, status: 422 });
  });
});

describe("agent config file", () => {
  const write = (json: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), "agent-cfg-"));
    const file = join(dir, "agent.json");
    writeFileSync(file, JSON.stringify(json));
    return file;
  };

  it("loads, applies env overrides, and gives local monitors the agent's vantage by default", () => {
    const file = write({
      agentId: "ops-1",
      workerUrl: "https://uptime.example.workers.dev",
      monitors: [{ id: "c", name: "c", chain: "generic", check: { kind: "tls-cert", host: "h" } }],
    });
    const r = loadSettings(file, { CHAIN_UPTIME_AGENT_KEY: "k3y", CHAIN_UPTIME_SPOOL_DIR: "/tmp/spool-x" });
    expect(r).toMatchObject({
      ok: true,
      settings: { agentId: "ops-1", keyId: "ops-1", key: "k3y", spoolDir: "/tmp/spool-x", batchEverySec: 15 },
    });
    if (r.ok) expect(r.settings.monitors[0]).toMatchObject({ regions: [], agents: ["ops-1"] });
  });

  it("needs a key when a Worker is configured, and names bad fields", () => {
    const file = write({ agentId: "Bad Id", workerUrl: "ftp://x", monitors: [{ id: "c" }] });
    const r = loadSettings(file, {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["agentId", "workerUrl"]));
    const noKey = loadSettings(write({ agentId: "ops-1", workerUrl: "https://w.example" }), {});
    expect(noKey).toMatchObject({ ok: false, issues: [{ path: "key" }] });
  });
});
