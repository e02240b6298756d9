import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AGENT_MIN_NODE, buildAgent } from "../../src/cli/build-agent.ts";
import type { ConfigInput } from "../../src/core/config/schema.ts";
import {
  type AgentProcess,
  type FaultProxy,
  type LocalWorker,
  machineNode,
  startAgentProcess,
  startFaultProxy,
  startLocalWorker,
  stopChild,
} from "./agent-e2e-support.ts";
import { makePki, startTlsServer, startUdpEcho, stopAll } from "./agent-servers.ts";

// End to end: the agent as installed — its one-file bundle (npm run build:agent) copied alone into
// an empty folder and run by the machine's own node — reporting through a fault-injecting proxy to
// the Worker on local workerd (wrangler dev). Killed with SIGKILL while batches are unacknowledged —
// some of them already applied by the Worker — and restarted: every batch arrives, none is
// applied twice.

const KEY = "e2e-agent-key-5f2c9a7d1b";
const dir = mkdtempSync(join(tmpdir(), "agent-e2e-"));
let worker: LocalWorker | undefined;
let proxy: FaultProxy | undefined;
const agents: AgentProcess[] = [];

afterAll(async () => {
  for (const a of agents) await stopChild(a.child, 5000);
  await proxy?.stop();
  await worker?.stop();
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

type Log = Record<string, unknown>;
const ev = (name: string) => (l: Log) => l.event === name;

describe("agent → Worker on local workerd", () => {
  it("the bundle runs alone on the machine's node; SIGKILL mid-run and restart lose no batch and duplicate none", async () => {
    const { file } = await buildAgent(join(dir, "build"));
    const alone = join(dir, "alone");
    mkdirSync(alone);
    copyFileSync(file, join(alone, "chain-uptime-agent.mjs"));
    expect(readdirSync(alone)).toEqual(["chain-uptime-agent.mjs"]);
    const node = machineNode();
    const nodeMajor = Number(
      execFileSync(node, ["--version"], { encoding: "utf8" }).trim().replace(/^v/, "").split(".")[0],
    );
    expect(nodeMajor).toBeGreaterThanOrEqual(AGENT_MIN_NODE);
    const bundle = { node, script: join(alone, "chain-uptime-agent.mjs"), cwd: alone };

    const pki = makePki();
    const tlsPort = await startTlsServer({ cert: pki.server.cert + pki.ca.cert, key: pki.server.key });
    const udpPort = await startUdpEcho("pong:");
    const monitor = (id: string, check: Record<string, unknown>) => ({
      id,
      name: `E2E ${id}`,
      chain: "generic" as const,
      check,
      intervalSec: 10,
      timeoutMs: 2000,
      regions: [],
      agents: ["e2e"],
      failureThreshold: 1,
      recoveryThreshold: 1,
    });
    const config: ConfigInput = {
      version: 1,
      agents: [{ id: "e2e", keySecret: "AGENT_E2E_KEY", heartbeatSec: 5 }],
      monitors: [
        monitor("e2e-cert", { kind: "tls-cert", host: "127.0.0.1", port: tlsPort }),
        monitor("e2e-udp", {
          kind: "udp",
          host: "127.0.0.1",
          port: udpPort,
          sendText: "ping",
          expectText: "pong",
        }),
        monitor("e2e-tcp", { kind: "tcp", host: "127.0.0.1", port: tlsPort }),
      ] as unknown as ConfigInput["monitors"],
    };
    const started = Date.now();
    worker = await startLocalWorker(join(dir, "worker"), config, { AGENT_E2E_KEY: KEY });
    proxy = await startFaultProxy(worker.url);

    // Oversized bodies over real HTTP get a clean 413, with or without a Content-Length.
    const results = `${worker.url}/api/v1/agent/results`;
    for (const size of [600 * 1024, 10 * 1_048_576]) {
      const res = await fetch(results, { method: "POST", body: "x".repeat(size) });
      expect(res.status, `${size} bytes`).toBe(413);
      expect(await res.json()).toMatchObject({ error: "too_large" });
    }
    const chunk = new TextEncoder().encode("y".repeat(64 * 1024));
    let sent = 0;
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * 1_048_576) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const chunked = await fetch(results, { method: "POST", body: streamed, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);

    const agentConfig = join(dir, "agent.json");
    writeFileSync(
      agentConfig,
      JSON.stringify({
        agentId: "e2e",
        workerUrl: proxy.url,
        spoolDir: join(dir, "spool"),
        batchEverySec: 1,
        heartbeatSec: 5,
        logLevel: "info",
      }),
    );
    const env = { CHAIN_UPTIME_AGENT_KEY: KEY };

    // 1. Normal running: assignments from the Worker, batches delivered.
    const first = startAgentProcess(agentConfig, env, bundle);
    agents.push(first);
    const assigned = await first.waitFor(ev("assignments"), 20_000, "assignments");
    expect(assigned).toMatchObject({ source: "worker", monitors: ["e2e-cert", "e2e-udp", "e2e-tcp"] });
    await first.waitFor(ev("batch_delivered"), 30_000, "a delivered batch");

    // 2. The Worker applies batches but the agent never hears back; more pile up in the spool.
    proxy.mode = "swallow";
    const swallowedBefore = first.logs.filter(ev("batch_spooled")).length;
    const until = Date.now() + 40_000;
    while (proxy.swallowed < 2 || first.logs.filter(ev("batch_spooled")).length < swallowedBefore + 2) {
      if (Date.now() > until) throw new Error(`no swallowed sends (${proxy.swallowed})`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // 3. Crash: no chance to flush or say goodbye.
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const leftBehind = readdirSync(join(dir, "spool", "ready")).filter((f) => f.endsWith(".jsonl"));
    expect(leftBehind.length).toBeGreaterThan(0);

    // 4. Restart with the path open again: the spool drains, resends of applied batches are
    // acknowledged as duplicates, and new results keep flowing.
    proxy.mode = "pass";
    const second = startAgentProcess(agentConfig, env, bundle);
    agents.push(second);
    await second.waitFor(ev("batch_already_delivered"), 60_000, "a resend acknowledged as duplicate");
    await second.waitFor(
      (l) => ev("batch_delivered")(l) && !leftBehind.some((f) => f.includes(String(l.batchId))),
      40_000,
      "a new batch delivered",
    );
    const drainUntil = Date.now() + 30_000;
    while (readdirSync(join(dir, "spool", "ready")).some((f) => f.endsWith(".jsonl"))) {
      if (Date.now() > drainUntil) throw new Error("spool did not drain");
      await new Promise((r) => setTimeout(r, 200));
    }
    // 5. Graceful stop (SIGTERM): exits 0 after sealing and delivering what it has.
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    expect(second.logs.some(ev("agent_stopped"))).toBe(true);

    // Every batch the agent ever made was delivered exactly once from its point of view…
    const all = [...first.logs, ...second.logs];
    const made = new Set(
      all.filter((l) => ev("batch_spooled")(l) || ev("spool_recovered")(l)).map((l) => String(l.batchId)),
    );
    const delivered = new Map<string, number>();
    for (const l of all.filter((x) => ev("batch_delivered")(x) || ev("batch_already_delivered")(x))) {
      // What the Worker kept: a restarted agent may probe a monitor again in the slot its
      // predecessor already reported, and the Worker keeps one result per slot (it says so).
      delivered.set(String(l.batchId), Number(l.applied ?? l.records));
    }
    for (const id of made) expect(delivered.has(id), `batch ${id} delivered`).toBe(true);
    expect(all.some(ev("batch_rejected"))).toBe(false);
    const expectedRecords = [...delivered.values()].reduce((a, b) => a + b, 0);

    // …and the Worker holds each record exactly once.
    let points: { at: string; vantage: string; monitorId: string }[] = [];
    for (const id of ["e2e-cert", "e2e-udp", "e2e-tcp"]) {
      const r = await fetch(
        `${worker.url}/api/v1/monitors/${id}/history?from=${started - 60_000}&limit=10000`,
      );
      const body = (await r.json()) as { results: { at: string; vantage: string }[] };
      points = points.concat(body.results.map((p) => ({ ...p, monitorId: id })));
    }
    expect(points.every((p) => p.vantage === "agent:e2e")).toBe(true);
    const keys = points.map((p) => `${p.monitorId}@${p.at}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(points.length).toBe(expectedRecords);
    expect(proxy.swallowed).toBeGreaterThanOrEqual(2);

    // The status API shows the agent as a vantage of its monitors, and the agent as reporting.
    let status:
      | { monitors: { id: string; state: string; vantages: { region: string; state: string }[] }[] }
      | undefined;
    const statusUntil = Date.now() + 20_000;
    for (;;) {
      status = (await (await fetch(`${worker.url}/api/v1/status`)).json()) as typeof status;
      const udp = status?.monitors.find((m) => m.id === "e2e-udp");
      if (udp?.vantages.some((v) => v.region === "agent:e2e")) break;
      if (Date.now() > statusUntil) throw new Error(`no agent vantage in status: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const id of ["e2e-cert", "e2e-udp", "e2e-tcp"]) {
      const m = status?.monitors.find((x) => x.id === id);
      expect(m?.vantages).toEqual([expect.objectContaining({ region: "agent:e2e", state: "up" })]);
    }
    const agentsView = (await (await fetch(`${worker.url}/api/v1/agents`)).json()) as {
      agents: { id: string; state: string }[];
    };
    expect(agentsView.agents).toEqual([expect.objectContaining({ id: "e2e", state: "ok" })]);
  }, 240_000);
});
