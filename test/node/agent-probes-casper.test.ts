import { connect } from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { runAgentProbe } from "../../src/agent/probes/registry.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import { CasperP2pCheckSchema } from "../../src/core/kinds/casper-p2p.ts";
import type { CheckOf } from "../../src/core/kinds/index.ts";
import { CheckSchema, evaluateCheck } from "../../src/core/kinds/index.ts";
import { closedTcpPort, startCasperNode, stopAll } from "./agent-servers.ts";

const options = { timeoutMs: 2000, userAgent: "chain-uptime-agent/test" };
const signal = () => new AbortController().signal;
const check = (port: number, extra: Record<string, unknown> = {}) =>
  CasperP2pCheckSchema.parse({
    kind: "casper-p2p",
    host: "127.0.0.1",
    port,
    ...extra,
  }) as CheckOf<"casper-p2p">;

afterAll(stopAll);

describe("casper-p2p probe", () => {
  it("completes TLS 1.3 with a certificate the node accepts and reads the handshake frame", async () => {
    const node = await startCasperNode({ networkName: "casper-test", protocolVersion: "1.5.8" });
    const r = await runAgentProbe(check(node.port, { chainName: "casper-test" }), options, signal());
    expect(r).toMatchObject({
      ok: true,
      facts: { chainName: "casper-test", version: "1.5.8", syncing: false, nodeId: node.nodeId },
    });
    // The node checked our throw-away certificate the way casper-node does and found nothing wrong.
    expect(node.clientProblems).toEqual([undefined]);
    expect(node.nodeId).toMatch(/^[0-9a-f]{128}$/);
  });

  it("reads rmp-serde's other encodings: map-tagged enum, version as [major, minor, patch]", async () => {
    const node = await startCasperNode({ mapEnum: true, protocolVersion: [2, 0, 1], networkName: "casper" });
    const r = await runAgentProbe(check(node.port), options, signal());
    expect(r).toMatchObject({ ok: true, facts: { chainName: "casper", version: "2.0.1" } });
  });

  it("a wrong chain name fails with that reason", async () => {
    const node = await startCasperNode({ networkName: "casper-test" });
    const r = await runAgentProbe(check(node.port, { chainName: "casper" }), options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: "node is on chain 'casper-test', expected 'casper'" },
    });
  });

  it("a syncing node is up with a syncing fact, which the evaluator makes degraded", async () => {
    const node = await startCasperNode({ syncing: true });
    const c = check(node.port);
    const r = await runAgentProbe(c, options, signal());
    expect(r).toMatchObject({ ok: true, facts: { syncing: true } });
    const e = evaluateCheck(c, r.facts ?? {}, ChainRulesSchema.parse({}), { now: Date.now() });
    expect(e.reasons).toEqual([expect.objectContaining({ code: "syncing", severity: "warn" })]);
  });

  it("a pinned node id: the same node passes (full or short form), another node is down", async () => {
    const node = await startCasperNode();
    const seen = await runAgentProbe(check(node.port), options, signal());
    const id = seen.facts?.nodeId as string;
    expect(id).toMatch(/^[0-9a-f]{128}$/);
    const judge = (nodeId: string) => {
      const c = CheckSchema.parse({ kind: "casper-p2p", host: "127.0.0.1", port: node.port, nodeId });
      return evaluateCheck(c, seen.facts ?? {}, ChainRulesSchema.parse({}), { now: Date.now() }).reasons;
    };
    expect(judge(id)).toEqual([]);
    expect(judge(`tls:${id.slice(0, 4)}..${id.slice(-4)}`)).toEqual([]);
    const other = `${id.slice(0, 127)}${id.endsWith("0") ? "1" : "0"}`;
    expect(judge(other)).toEqual([
      expect.objectContaining({
        code: "wrong_node",
        severity: "critical",
        message: expect.stringMatching(
          /^node identifies as [0-9a-f]{12}…[0-9a-f]{8}, expected [0-9a-f]{128}$/,
        ),
      }),
    ]);
    expect(CheckSchema.safeParse({ kind: "casper-p2p", host: "h", nodeId: "tls:xyz" }).success).toBe(false);
  });

  it("the simulated node drops a client without a certificate, as casper-node does", async () => {
    const node = await startCasperNode();
    const closed = await new Promise<string>((resolve) => {
      const s = connect({
        host: "127.0.0.1",
        port: node.port,
        rejectUnauthorized: false,
        minVersion: "TLSv1.3",
      });
      s.on("data", () => resolve("data"));
      s.on("error", () => resolve("closed"));
      s.on("close", () => resolve("closed"));
    });
    expect(closed).toBe("closed");
    expect(node.clientProblems).toEqual(["no client certificate"]);
  });

  it("a node that never sends its handshake times out", async () => {
    const node = await startCasperNode({ mode: "silent" });
    const r = await runAgentProbe(check(node.port), { ...options, timeoutMs: 500 }, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("an announced frame beyond maxFrameBytes is too_large without reading it", async () => {
    const node = await startCasperNode({ mode: "oversize" });
    const r = await runAgentProbe(check(node.port), options, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });

  it("a frame that is not MessagePack, or not a Handshake, is a protocol failure", async () => {
    const garbage = await startCasperNode({ mode: "garbage" });
    const a = await runAgentProbe(check(garbage.port), options, signal());
    expect(a).toMatchObject({ ok: false, error: { kind: "protocol" } });
    expect(a.error?.message).toMatch(/not MessagePack/);
    const ping = await startCasperNode({ mode: "ping-first" });
    const b = await runAgentProbe(check(ping.port), options, signal());
    expect(b).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: "first message is variant 1, not a Handshake" },
    });
  });

  it("a closed port is refused", async () => {
    const r = await runAgentProbe(check(await closedTcpPort()), options, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "refused" } });
  });
});
