import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { MonitorSchema } from "../../src/core/config/schema.ts";
import { evaluateResult } from "../../src/core/evaluate.ts";
import type { Check } from "../../src/core/kinds/index.ts";
import type { SimChiaInfo } from "../../src/sim/types.ts";
import { runProbe } from "../../src/worker/run-probe.ts";
import { chiaMember, control, opts } from "./member-helpers.ts";

// A Chia full node's peer port (8444) is watched with the existing tcp kind under chain "chia"
// (the TLS/WebSocket handshake needs a Chia-CA client certificate: the agent's job). This file
// owns chia-peer and heals it after every test.

let peer: SimChiaInfo;
beforeAll(async () => {
  peer = await chiaMember("chia-peer");
});
afterEach(async () => {
  await control.heal("chia-peer");
});

const monitor = () =>
  MonitorSchema.parse({
    id: "chia-peer",
    name: "Chia peer",
    chain: "chia",
    check: { kind: "tcp", host: peer.host, port: peer.ports.peer },
  });
const check = (): Check => ({ kind: "tcp", host: peer.host, port: peer.ports.peer });
const probe = () => runProbe(check(), opts(1500), new AbortController().signal);
const stateOf = async () => evaluateResult(monitor(), await probe(), { now: Date.now() }).verdict.state;

describe("Chia peer over tcp", () => {
  it("a tcp check is valid for chain chia", () => {
    expect(monitor().chain).toBe("chia");
  });

  it("healthy: connects → up", async () => {
    const r = await probe();
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(await stateOf()).toBe("up");
    expect((await control.memberStats("chia-peer")).requests.peer).toBeGreaterThan(0);
  });

  it("refusing → refused → down", async () => {
    await control.setFault("chia-peer", { fault: "refusing" });
    expect((await probe()).error).toEqual({ kind: "refused", message: "connection refused" });
    expect(await stateOf()).toBe("down");
  });

  it("hung: the port still accepts, so a connect-only check reports it open", async () => {
    await control.setFault("chia-peer", { fault: "hung" });
    expect((await probe()).ok).toBe(true);
  });

  it("heals back to open on the same port", async () => {
    await control.setFault("chia-peer", { fault: "refusing" });
    await control.heal("chia-peer");
    expect((await probe()).ok).toBe(true);
  });
});
