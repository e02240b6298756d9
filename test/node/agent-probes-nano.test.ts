import { afterAll, describe, expect, it } from "vitest";
import { nanoAddress } from "../../src/agent/crypto/nano-id.ts";
import { runAgentProbe } from "../../src/agent/probes/registry.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import { type CheckOf, CheckSchema, evaluateCheck } from "../../src/core/kinds/index.ts";
import { NanoPeeringCheckSchema } from "../../src/core/kinds/nano-peering.ts";
import { NanoUdpKeepaliveCheckSchema } from "../../src/core/kinds/nano-udp-keepalive.ts";
import {
  closedUdpPort,
  startNanoResponder,
  startNanoUdp,
  startNanoWs,
  startUdpSilent,
  stopAll,
} from "./agent-servers.ts";

const options = { timeoutMs: 2000, userAgent: "chain-uptime-agent/test" };
const signal = () => new AbortController().signal;
const peering = (port: number, extra: Record<string, unknown> = {}) =>
  NanoPeeringCheckSchema.parse({
    kind: "nano-peering",
    host: "127.0.0.1",
    port,
    ...extra,
  }) as CheckOf<"nano-peering">;
const udp = (port: number, extra: Record<string, unknown> = {}) =>
  NanoUdpKeepaliveCheckSchema.parse({
    kind: "nano-udp-keepalive",
    host: "127.0.0.1",
    port,
    ...extra,
  }) as CheckOf<"nano-udp-keepalive">;

afterAll(stopAll);

describe("nano-peering probe (node_id_handshake over TCP)", () => {
  it("verifies a v2 signed reply and records node id, protocol version and network", async () => {
    const node = await startNanoResponder({ v2: true });
    const r = await runAgentProbe(peering(node.port), options, signal());
    expect(r).toMatchObject({
      ok: true,
      facts: { nodeId: nanoAddress(node.publicKey, "node_"), protocolVersion: "21", chainName: "live" },
    });
    expect(r.facts?.nodeId).toMatch(/^node_[13][13456789abcdefghijkmnopqrstuwxyz]{59}$/);
    expect(node.queries).toBe(1);
  });

  it("a pinned node id: the proven id passes, another is down", async () => {
    const node = await startNanoResponder({ v2: true });
    const r = await runAgentProbe(peering(node.port), options, signal());
    const proven = nanoAddress(node.publicKey, "node_");
    const judge = (nodeId: string) =>
      evaluateCheck(
        CheckSchema.parse({ kind: "nano-peering", host: "127.0.0.1", port: node.port, nodeId }),
        r.facts ?? {},
        ChainRulesSchema.parse({}),
        { now: Date.now() },
      ).reasons;
    expect(judge(proven)).toEqual([]);
    const stranger = nanoAddress(new Uint8Array(32).fill(9), "node_");
    expect(judge(stranger)).toEqual([
      expect.objectContaining({
        code: "wrong_node",
        severity: "critical",
        message: expect.stringContaining(stranger),
      }),
    ]);
  });

  it("verifies a v1 reply (nodes before V25)", async () => {
    const node = await startNanoResponder({ v2: false });
    const r = await runAgentProbe(peering(node.port), options, signal());
    expect(r.ok).toBe(true);
  });

  it("a signature that does not verify fails the probe", async () => {
    const node = await startNanoResponder({ badSignature: true });
    const r = await runAgentProbe(peering(node.port), options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: expect.stringMatching(/signature does not verify/) },
    });
  });

  it("a node of another network fails, naming it", async () => {
    const node = await startNanoResponder({ replyNetwork: "beta" });
    const r = await runAgentProbe(peering(node.port), options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: "node is on the beta network, expected live" },
    });
  });

  it("a node signing for another genesis fails", async () => {
    const node = await startNanoResponder({ genesis: "00".repeat(32) });
    const r = await runAgentProbe(peering(node.port), options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: expect.stringMatching(/another genesis/) },
    });
    // With the matching genesis configured, the same node passes.
    const ok = await runAgentProbe(peering(node.port, { genesis: "00".repeat(32) }), options, signal());
    expect(ok.ok).toBe(true);
  });

  it("a node that hangs up without answering is a protocol failure", async () => {
    const node = await startNanoResponder({ drop: true });
    const r = await runAgentProbe(peering(node.port), options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: "connection closed before any handshake reply" },
    });
  });
});

describe("nano-udp-keepalive probe (V20 and older)", () => {
  it("a keepalive answered from the node is up, with network and protocol version", async () => {
    const port = await startNanoUdp("live");
    const r = await runAgentProbe(udp(port), options, signal());
    expect(r).toMatchObject({ ok: true, facts: { protocolVersion: "17", chainName: "live" } });
  });

  it("ICMP port unreachable is down (refused)", async () => {
    const r = await runAgentProbe(udp(await closedUdpPort()), options, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "refused" } });
  });

  it("silence is unknown (internal), never connected", async () => {
    const port = await startUdpSilent();
    const r = await runAgentProbe(udp(port), { ...options, timeoutMs: 400 }, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "internal" } });
    expect(r.error?.message).toMatch(/^no UDP reply within 400 ms: silence proves nothing/);
  });

  it("a reply from another network fails", async () => {
    const port = await startNanoUdp("test");
    const r = await runAgentProbe(udp(port), options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: "node is on the test network, expected live" },
    });
  });
});

describe("nano-ws probe from the agent", () => {
  it("ping → pong within the window", async () => {
    const port = await startNanoWs();
    const r = await runAgentProbe(
      { kind: "nano-ws", url: `ws://127.0.0.1:${port}`, pongWithinMs: 1000, maxBytes: 262_144 },
      options,
      signal(),
    );
    expect(r.ok).toBe(true);
  });

  it("no pong within the window fails", async () => {
    const port = await startNanoWs({ silent: true });
    const r = await runAgentProbe(
      { kind: "nano-ws", url: `ws://127.0.0.1:${port}`, pongWithinMs: 300, maxBytes: 262_144 },
      options,
      signal(),
    );
    expect(r).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });
});
