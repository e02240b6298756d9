import { afterEach, describe, expect, inject, it } from "vitest";
import type { Check, CheckOf } from "../../src/core/kinds/index.ts";
import type { ProbeResult } from "../../src/core/result.ts";
import type { Probe } from "../../src/probes/contract.ts";
import { WORKER_PROBES } from "../../src/probes/index.ts";
import { createRunner } from "../../src/probes/runner.ts";
import { FleetControl } from "../../src/sim/control-client.ts";
import { workerPlatform } from "../../src/worker/platform.ts";
import { runProbe } from "../../src/worker/run-probe.ts";

// The TCP probe and runProbe's guarantees, against probe-x (this file owns it; probes-casper owns
// probe-20 and probe-15).

const fleet = inject("fleet");
const control = new FleetControl(fleet.controlUrl);
const nx = fleet.nodes.find((n) => n.id === "probe-x");
if (!nx) throw new Error("fleet has no probe-x");
const node = nx;
const SLACK_MS = 400;
const opts = (timeoutMs = 2000) => ({ timeoutMs, userAgent: "chain-uptime-test/1 (vantage-a)" });
const tcp = (port = node.ports.p2p): Check => ({ kind: "tcp", host: node.host, port });

async function timed(run: () => Promise<ProbeResult>) {
  const started = Date.now();
  const r = await run();
  return { ...r, tookMs: Date.now() - started };
}

afterEach(async () => {
  await control.heal(node.id);
});

describe("tcp", () => {
  it("healthy: connects to the P2P port", async () => {
    const r = await runProbe(tcp(), opts(), new AbortController().signal);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.facts).toBeUndefined();
    expect(r.latencyMs).toBeLessThan(1000);
    expect(r.timings?.connectMs).toBe(r.latencyMs);
  });

  it("refusing → refused, without host or port in the message", async () => {
    await control.setFault(node.id, { fault: "refusing" });
    const r = await runProbe(tcp(), opts(), new AbortController().signal);
    expect(r.error).toEqual({ kind: "refused", message: "connection refused" });
    expect(r.phase).toBe("connect");
  });

  it("hung still accepts connections: a TCP check only proves the port is open", async () => {
    await control.setFault(node.id, { fault: "hung" });
    const r = await runProbe(tcp(), opts(), new AbortController().signal);
    expect(r.ok).toBe(true);
  });

  it("garbage P2P answers still count as open", async () => {
    await control.setFault(node.id, { fault: "garbage" });
    expect((await runProbe(tcp(), opts(), new AbortController().signal)).ok).toBe(true);
  });
});

describe("network failures as workerd reports them", () => {
  const run = (check: Check) => runProbe(check, opts(3000), new AbortController().signal);

  it("an unresolvable host over http → dns", async () => {
    const r = await run({
      kind: "casper-rest",
      url: "http://no-such-node.invalid:8888/status",
      maxBodyBytes: 1024,
    });
    expect(r.error).toEqual({ kind: "dns", message: "DNS lookup failed" });
  });

  it("https to a plain-HTTP port → tls", async () => {
    const url = `https://${node.host}:${node.ports.rest}/status`;
    const r = await run({ kind: "casper-rest", url, maxBodyBytes: 1024 });
    expect(r.error).toEqual({ kind: "tls", message: "TLS handshake failed" });
  });

  it("tcp to an unresolvable host → refused, saying it may be the name", async () => {
    const r = await run({ kind: "tcp", host: "no-such-node.invalid", port: 35000 });
    expect(r.error).toEqual({
      kind: "refused",
      message: "connection refused (or the host name does not resolve)",
    });
  });
});

describe("runProbe guarantees", () => {
  // The real runner over a table whose tcp probe misbehaves on purpose.
  const runWith = (tcpProbe: Probe<CheckOf<"tcp">>) =>
    createRunner({ ...WORKER_PROBES, tcp: tcpProbe }, workerPlatform);

  it("a probe that throws becomes an internal failure", async () => {
    const run = runWith(() => {
      throw new Error(`bug near ${node.host}:${node.ports.p2p}`);
    });
    const r = await run(tcp(), opts(), new AbortController().signal);
    expect(r.error).toEqual({ kind: "internal", message: "unexpected error: Error: bug near <host>" });
  });

  it("a probe that never settles is cut off at timeoutMs plus a small grace", async () => {
    const run = runWith(() => new Promise(() => {}));
    const r = await timed(() => run(tcp(), opts(300), new AbortController().signal));
    expect(r.error?.kind).toBe("timeout");
    expect(r.tookMs).toBeLessThan(300 + SLACK_MS);
  });

  it("a probe's deferred cleanup runs when it is cut off", async () => {
    let cleaned = false;
    const run = runWith((_check, probeRun) => {
      probeRun.defer(() => {
        cleaned = true;
      });
      return new Promise(() => {});
    });
    await run(tcp(), opts(200), new AbortController().signal);
    expect(cleaned).toBe(true);
  });

  it("an invalid result becomes an internal failure", async () => {
    const run = runWith(async () => ({ ok: true, latencyMs: -5 }));
    const r = await run(tcp(), opts(), new AbortController().signal);
    expect(r.error?.kind).toBe("internal");
  });

  it("an unknown check kind is an internal failure, not a throw", async () => {
    const r = await runProbe({ kind: "udp" } as unknown as Check, opts(), new AbortController().signal);
    expect(r.error?.kind).toBe("internal");
  });

  it("a caller abort settles at once as a timeout that says aborted", async () => {
    await control.setFault(node.id, { fault: "hung" });
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const check: Check = {
      kind: "casper-rest",
      url: `http://${node.host}:${node.ports.rest}/status`,
      maxBodyBytes: 1_048_576,
    };
    const r = await timed(() => runProbe(check, opts(5000), caller.signal));
    expect(r.error).toEqual({ kind: "timeout", message: "aborted by caller before an answer" });
    expect(r.tookMs).toBeLessThan(1000);
  });
});
