import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgentProbe } from "../../src/agent/probes/registry.ts";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import type { CheckOf } from "../../src/core/kinds/index.ts";
import { evaluateCheck } from "../../src/core/kinds/index.ts";
import { TlsCertCheckSchema } from "../../src/core/kinds/tls-cert.ts";
import { closedTcpPort, makePki, type Pki, pemFile, startTlsServer, stopAll } from "./agent-servers.ts";

const options = { timeoutMs: 3000, userAgent: "chain-uptime-agent/test" };
const signal = () => new AbortController().signal;
const check = (port: number, extra: Record<string, unknown> = {}) =>
  TlsCertCheckSchema.parse({
    kind: "tls-cert",
    host: "127.0.0.1",
    port,
    ...extra,
  }) as CheckOf<"tls-cert">;
const rules = ChainRulesSchema.parse({});
const judge = (c: CheckOf<"tls-cert">, facts: Parameters<typeof evaluateCheck>[1]) =>
  evaluateCheck(c, facts, rules, { now: Date.now() }).reasons;

let pki: Pki;
const ports: Record<string, number> = {};

beforeAll(async () => {
  pki = makePki();
  ports.good = await startTlsServer({ cert: pki.server.cert + pki.ca.cert, key: pki.server.key });
  ports.expiring = await startTlsServer(pki.expiring);
  ports.expired = await startTlsServer(pki.expired);
  ports.future = await startTlsServer(pki.future);
  ports.chain = await startTlsServer(pki.shortIntermediateChain);
  ports.self = await startTlsServer(pki.selfSigned);
});
afterAll(stopAll);

describe("tls-cert probe", () => {
  it("reads a CA-issued chain: expiry, issuer, SANs, trusted against caFile", async () => {
    const c = check(ports.good as number, { caFile: pemFile(pki.ca.cert) });
    const r = await runAgentProbe(c, options, signal());
    expect(r.ok).toBe(true);
    const cert = r.facts?.cert;
    expect(cert).toMatchObject({ selfSigned: false, trusted: true, chainLength: 2 });
    expect(cert?.issuer).toContain("CN=Test Private CA");
    expect(cert?.sans).toEqual(expect.arrayContaining(["DNS:localhost", "IP Address:127.0.0.1"]));
    expect(cert?.daysLeft).toBeGreaterThan(89);
    expect(cert?.daysLeft).toBeLessThan(91);
    expect(judge(c, r.facts ?? {})).toEqual([]);
  });

  it("reports an untrusted chain without caFile, and says why only as info", async () => {
    const c = check(ports.good as number);
    const r = await runAgentProbe(c, options, signal());
    expect(r.facts?.cert?.trusted).toBe(false);
    expect(judge(c, r.facts ?? {})).toEqual([
      expect.objectContaining({ code: "cert_untrusted", severity: "info" }),
    ]);
  });

  it("a certificate close to expiry is degraded under warnDays and down under criticalDays", async () => {
    const r = await runAgentProbe(check(ports.expiring as number), options, signal());
    expect(r.ok).toBe(true);
    expect(r.facts?.cert?.daysLeft).toBeGreaterThan(4.9);
    expect(r.facts?.cert?.daysLeft).toBeLessThan(5.1);
    const warn = judge(check(ports.expiring as number, { warnDays: 14, criticalDays: 3 }), r.facts ?? {});
    expect(warn[0]).toMatchObject({ code: "cert_expiring", severity: "warn" });
    expect(warn[0]?.message).toMatch(/^certificate expires in 5\.0 days \(warning under 14\)/);
    const crit = judge(check(ports.expiring as number, { warnDays: 14, criticalDays: 7 }), r.facts ?? {});
    expect(crit[0]).toMatchObject({ code: "cert_expiring", severity: "critical" });
  });

  it("an expired certificate fails the probe (tls), naming how long ago", async () => {
    const r = await runAgentProbe(check(ports.expired as number), options, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "tls", message: "certificate expired 2 days ago" } });
  });

  it("a certificate not valid yet fails the probe", async () => {
    const r = await runAgentProbe(check(ports.future as number), options, signal());
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/not valid before/);
  });

  it("the earliest expiry in the chain counts, not only the leaf's", async () => {
    const c = check(ports.chain as number);
    const r = await runAgentProbe(c, options, signal());
    expect(r.facts?.cert?.daysLeft).toBeGreaterThan(89);
    expect(r.facts?.cert?.earliestDaysLeft).toBeLessThan(2.1);
    expect(judge(c, r.facts ?? {})[0]).toMatchObject({
      severity: "critical",
      message: expect.stringMatching(/^a certificate in the chain expires in 2\.0 days/),
    });
  });

  it("recognises a self-signed certificate", async () => {
    const r = await runAgentProbe(check(ports.self as number), options, signal());
    expect(r.facts?.cert).toMatchObject({ selfSigned: true, chainLength: 1 });
  });

  it("a closed port is refused, with no address in the message", async () => {
    const r = await runAgentProbe(check(await closedTcpPort()), options, signal());
    expect(r).toMatchObject({ ok: false, error: { kind: "refused" } });
    expect(r.error?.message).not.toContain("127.0.0.1");
  });

  it("an unreadable caFile is the agent's config problem (config), not the node's", async () => {
    const r = await runAgentProbe(
      check(ports.good as number, { caFile: "/nonexistent/ca.pem" }),
      options,
      signal(),
    );
    expect(r).toMatchObject({ ok: false, error: { kind: "config" } });
  });
});
