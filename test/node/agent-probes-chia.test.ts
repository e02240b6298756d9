import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonLossless } from "../../src/agent/probes/lossless-json.ts";
import { runAgentProbe } from "../../src/agent/probes/registry.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import { ChiaDaemonCheckSchema } from "../../src/core/kinds/chia-daemon.ts";
import { ChiaRpcCheckSchema } from "../../src/core/kinds/chia-rpc.ts";
import type { CheckOf } from "../../src/core/kinds/index.ts";
import { evaluateCheck } from "../../src/core/kinds/index.ts";
import { makePki, type Pki, pemFile, startChiaDaemon, startChiaRpc, stopAll } from "./agent-servers.ts";

const options = { timeoutMs: 3000, userAgent: "chain-uptime-agent/test" };
const signal = () => new AbortController().signal;

let pki: Pki;
let files: { caFile: string; certFile: string; keyFile: string };
beforeAll(() => {
  pki = makePki();
  files = {
    caFile: pemFile(pki.ca.cert),
    certFile: pemFile(pki.client.cert),
    keyFile: pemFile(pki.client.key),
  };
});
afterAll(stopAll);

const rpc = (port: number, extra: Record<string, unknown> = {}) =>
  ChiaRpcCheckSchema.parse({
    kind: "chia-rpc",
    url: `https://127.0.0.1:${port}`,
    ...files,
    ...extra,
  }) as CheckOf<"chia-rpc">;

describe("chia-rpc probe (mutual TLS, private CA)", () => {
  it("healthz answers success", async () => {
    const port = await startChiaRpc(pki);
    const r = await runAgentProbe(rpc(port, { endpoint: "healthz" }), options, signal());
    expect(r.ok).toBe(true);
  });

  it("get_blockchain_state: synced, peak height and time, netspace exact beyond 2^53", async () => {
    const port = await startChiaRpc(pki);
    const r = await runAgentProbe(rpc(port), options, signal());
    expect(r).toMatchObject({
      ok: true,
      facts: { height: 4154084, syncState: "synced", syncing: false, netspace: "33037817585788604416" },
    });
    expect(Date.now() - (r.facts?.lastBlockAt ?? 0)).toBeLessThan(60_000);
    expect(Number(r.facts?.netspace)).toBeGreaterThan(2 ** 53);
  });

  it("reads its certificates from a CHIA_ROOT layout", async () => {
    const port = await startChiaRpc(pki);
    const c = ChiaRpcCheckSchema.parse({
      kind: "chia-rpc",
      url: `https://localhost:${port}`,
      chiaRoot: pki.chiaRoot,
    });
    const r = await runAgentProbe(c as CheckOf<"chia-rpc">, options, signal());
    expect(r.ok).toBe(true);
  });

  it("a node in long sync or not synced is up with facts the evaluator degrades", async () => {
    const port = await startChiaRpc(pki, { syncMode: true, synced: false });
    const c = rpc(port);
    const r = await runAgentProbe(c, options, signal());
    expect(r).toMatchObject({ ok: true, facts: { syncState: "sync_mode", syncing: true } });
    const e = evaluateCheck(c, r.facts ?? {}, ChainRulesSchema.parse({}), { now: Date.now() });
    expect(e.reasons[0]).toMatchObject({ code: "syncing", severity: "warn" });
  });

  it("success: false is a protocol failure with the node's error text", async () => {
    const port = await startChiaRpc(pki, { failing: true });
    const r = await runAgentProbe(rpc(port), options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: "RPC get_blockchain_state failed: Node not initialized" },
    });
  });

  it("a client certificate from another CA is refused by the node (tls)", async () => {
    const port = await startChiaRpc(pki);
    const c = rpc(port, { certFile: pemFile(pki.stranger.cert), keyFile: pemFile(pki.stranger.key) });
    const r = await runAgentProbe(c, options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "tls", message: expect.stringMatching(/client certificate/) },
    });
  });

  it("a server whose certificate is not from the configured CA fails (tls)", async () => {
    const port = await startChiaRpc(pki);
    const other = makePki();
    const r = await runAgentProbe(rpc(port, { caFile: pemFile(other.ca.cert) }), options, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "tls" } });
  });

  it("missing certificate files are the agent's config problem (unknown), not the node's", async () => {
    const port = await startChiaRpc(pki);
    const r = await runAgentProbe(rpc(port, { caFile: join(pki.chiaRoot, "nope.crt") }), options, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "config" } });
  });

  it("config: chiaRoot or all three files; get_blockchain_state only on a full node", () => {
    expect(ChiaRpcCheckSchema.safeParse({ kind: "chia-rpc", url: "https://localhost:8555" }).success).toBe(
      false,
    );
    const farmer = ChiaRpcCheckSchema.safeParse({
      kind: "chia-rpc",
      url: "https://localhost:8559",
      service: "farmer",
      chiaRoot: "/x",
    });
    expect(farmer.success).toBe(false);
    expect(farmer.error?.issues[0]?.message).toMatch(/full node endpoint/);
  });
});

describe("chia-daemon probe (WebSocket over the same mutual TLS)", () => {
  const daemon = (port: number) =>
    ChiaDaemonCheckSchema.parse({
      kind: "chia-daemon",
      url: `wss://127.0.0.1:${port}`,
      chiaRoot: pki.chiaRoot,
    }) as CheckOf<"chia-daemon">;

  it("ping → pong for our request id, skipping unrelated messages", async () => {
    const port = await startChiaDaemon(pki);
    const r = await runAgentProbe(daemon(port), options, signal());
    expect(r.ok).toBe(true);
  });

  it("anything but pong fails with the daemon's error", async () => {
    const port = await startChiaDaemon(pki, { broken: true });
    const r = await runAgentProbe(daemon(port), options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "protocol", message: "daemon did not answer ping with pong: unknown_command ping" },
    });
  });
});

describe("lossless JSON", () => {
  it("keeps integers beyond 2^53 exact and leaves the rest alone", () => {
    expect(parseJsonLossless('{"space": 25193321725003644928, "h": 3326213, "f": 1.5, "n": -12}')).toEqual({
      space: "25193321725003644928",
      h: 3326213,
      f: 1.5,
      n: -12,
    });
  });
});
