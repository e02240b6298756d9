import { afterAll, describe, expect, it } from "vitest";
import { runAgentProbe } from "../../src/agent/probes/registry.ts";
import { MonitorSchema } from "../../src/core/config/schema.ts";
import { evaluateResult } from "../../src/core/evaluate.ts";
import type { CheckOf } from "../../src/core/kinds/index.ts";
import { UdpCheckSchema } from "../../src/core/kinds/udp.ts";
import { closedUdpPort, startUdpEcho, startUdpSilent, stopAll } from "./agent-servers.ts";

const options = { timeoutMs: 1500, userAgent: "chain-uptime-agent/test" };
const signal = () => new AbortController().signal;
const check = (port: number, extra: Record<string, unknown> = {}) =>
  UdpCheckSchema.parse({
    kind: "udp",
    host: "127.0.0.1",
    port,
    sendText: "ping",
    ...extra,
  }) as CheckOf<"udp">;

/** What the state machine makes of a result: reply up, ICMP unreachable down, silence unknown. */
const verdictOf = (c: CheckOf<"udp">, r: Awaited<ReturnType<typeof runAgentProbe>>) => {
  const monitor = MonitorSchema.parse({
    id: "u",
    name: "u",
    chain: "generic",
    check: c,
    regions: [],
    agents: ["a"],
  });
  return evaluateResult(monitor, r, { now: Date.now() }).verdict.state;
};

afterAll(stopAll);

describe("udp probe", () => {
  it("a reply is up", async () => {
    const c = check(await startUdpEcho("pong:"), { expectText: "pong" });
    const r = await runAgentProbe(c, options, signal());
    expect(r.ok).toBe(true);
    expect(verdictOf(c, r)).toBe("up");
  });

  it("matches replies by leading bytes", async () => {
    const port = await startUdpEcho();
    const ok = await runAgentProbe(
      check(port, { sendText: undefined, sendHex: "cafe01", expectHex: "cafe" }),
      options,
      signal(),
    );
    expect(ok.ok).toBe(true);
    const bad = await runAgentProbe(
      check(port, { sendText: undefined, sendHex: "cafe01", expectHex: "beef" }),
      options,
      signal(),
    );
    expect(bad).toMatchObject({ ok: false, error: { kind: "protocol" } });
  });

  it("a reply without the expected text is a protocol failure (down)", async () => {
    const c = check(await startUdpEcho(), { expectText: "PONG" });
    const r = await runAgentProbe(c, options, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "protocol" } });
    expect(verdictOf(c, r)).toBe("down");
  });

  it("ICMP port unreachable on a closed port is down", async () => {
    const c = check(await closedUdpPort());
    const r = await runAgentProbe(c, options, signal());
    expect(r).toMatchObject({
      ok: false,
      error: { kind: "refused", message: expect.stringMatching(/port unreachable/) },
    });
    expect(verdictOf(c, r)).toBe("down");
  });

  it("silence is unknown, never up ('connected' is not a thing in UDP)", async () => {
    const c = check(await startUdpSilent());
    const r = await runAgentProbe(c, { ...options, timeoutMs: 300 }, signal());
    expect(r.ok).toBe(false);
    expect(verdictOf(c, r)).toBe("unknown");
  });

  it("config needs exactly one payload", () => {
    expect(UdpCheckSchema.safeParse({ kind: "udp", host: "h", port: 1 }).success).toBe(false);
    expect(
      UdpCheckSchema.safeParse({ kind: "udp", host: "h", port: 1, sendHex: "00", sendText: "x" }).success,
    ).toBe(false);
  });
});
