import { mkdtempSync, readdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/agent/log.ts";
import { Reporter } from "../../src/agent/reporter.ts";
import { Spool } from "../../src/agent/spool.ts";
import { AGENT_HEADERS } from "../../src/core/agent/protocol.ts";
import { signRequest, verifyRequest } from "../../src/core/agent/signature.ts";

const KEY = "test-agent-key-0123456789";

/** A stand-in Worker that checks every signature and answers what the test says. */
let answer: (body: { batchId: string }) => { status: number; json: unknown } = () => ({
  status: 200,
  json: { ok: true },
});
const seen: { batchId: string; verified: boolean; keyId: string }[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", async () => {
    const ts = String(req.headers[AGENT_HEADERS.timestamp]);
    const verified = await verifyRequest(KEY, ts, body, String(req.headers[AGENT_HEADERS.signature]));
    const parsed = JSON.parse(body) as { batchId: string };
    seen.push({ batchId: parsed.batchId, verified, keyId: String(req.headers[AGENT_HEADERS.keyId]) });
    const a = answer(parsed);
    res.writeHead(a.status, { "content-type": "application/json" }).end(JSON.stringify(a.json));
  });
});
let url = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function setup(batches: number) {
  const dir = mkdtempSync(join(tmpdir(), "agent-rep-"));
  const spool = new Spool(dir, "ops-1", silentLogger);
  await spool.init();
  for (let i = 0; i < batches; i++) {
    await spool.append({
      monitorId: "m",
      vantage: "agent:ops-1",
      scheduledAt: i,
      checkedAt: Date.now(),
      result: { ok: true, latencyMs: 1 },
    });
    await spool.seal(1_000_000 + i);
  }
  const reporter = new Reporter({
    creds: { workerUrl: url, keyId: "ops-1", key: KEY },
    agentId: "ops-1",
    agentVersion: "test",
    spool,
    log: silentLogger,
    maxSpoolAgeDays: 36500,
  });
  return { dir, spool, reporter };
}

describe("signatures", () => {
  it("HMAC-SHA256 over timestamp.body: a changed byte, timestamp or key does not verify", async () => {
    const sig = await signRequest(KEY, "1700000000000", '{"a":1}');
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(await verifyRequest(KEY, "1700000000000", '{"a":1}', sig)).toBe(true);
    expect(await verifyRequest(KEY, "1700000000000", '{"a":2}', sig)).toBe(false);
    expect(await verifyRequest(KEY, "1700000000001", '{"a":1}', sig)).toBe(false);
    expect(await verifyRequest("other", "1700000000000", '{"a":1}', sig)).toBe(false);
    expect(await verifyRequest(KEY, "1700000000000", '{"a":1}', "v1=zz")).toBe(false);
  });
});

describe("reporter", () => {
  it("sends oldest first, signed, and removes each batch once accepted", async () => {
    seen.length = 0;
    answer = () => ({ status: 200, json: { ok: true } });
    const { spool, reporter } = await setup(3);
    const ids = (await spool.list()).map((b) => b.batchId);
    expect(await reporter.flush(5000)).toBe(3);
    expect(seen.map((s) => s.batchId)).toEqual(ids);
    expect(seen.every((s) => s.verified && s.keyId === "ops-1")).toBe(true);
    expect(await spool.list()).toEqual([]);
  });

  it("409 duplicate_batch counts as delivered (a resend after a lost answer)", async () => {
    answer = (b) => ({
      status: 409,
      json: { error: "duplicate_batch", message: "already", batchId: b.batchId },
    });
    const { spool, reporter } = await setup(1);
    expect(await reporter.sendOne()).toBe("delivered");
    expect(await spool.list()).toEqual([]);
  });

  it("a permanent refusal (403 out_of_scope) sets the batch aside; 5xx and 401 keep it for retry", async () => {
    answer = () => ({ status: 403, json: { error: "out_of_scope", message: "no" } });
    const a = await setup(1);
    expect(await a.reporter.sendOne()).toBe("set_aside");
    expect(readdirSync(join(a.dir, "rejected"))).toHaveLength(2);

    for (const [status, code] of [
      [503, "agent_key_not_set"],
      [401, "bad_signature"],
      [401, "clock_skew"],
      [500, "internal"],
    ] as const) {
      answer = () => ({ status, json: { error: code, message: "later", serverTime: Date.now() } });
      const b = await setup(1);
      expect(await b.reporter.sendOne()).toBe("retry");
      expect(await b.spool.list()).toHaveLength(1);
    }
  });

  it("a Worker that cannot be reached leaves everything spooled", async () => {
    const { spool } = await setup(2);
    const offline = new Reporter({
      creds: { workerUrl: "http://127.0.0.1:1", keyId: "ops-1", key: KEY },
      agentId: "ops-1",
      agentVersion: "test",
      spool,
      log: silentLogger,
      maxSpoolAgeDays: 36500,
    });
    expect(await offline.sendOne()).toBe("retry");
    expect(await spool.list()).toHaveLength(2);
  });
});

describe("reporter and the size limit", () => {
  it("a 413 from the Worker splits the batch in two instead of dropping it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agent-rep-"));
    const spool = new Spool(dir, "ops-1", silentLogger);
    await spool.init();
    for (let i = 0; i < 4; i++) {
      await spool.append({
        monitorId: "m",
        vantage: "agent:ops-1",
        scheduledAt: i,
        checkedAt: Date.now(),
        result: { ok: true, latencyMs: 1 },
      });
    }
    const sealed = await spool.seal(3_000_000);
    answer = () => ({ status: 413, json: { error: "too_large", message: "smaller" } });
    const reporter = new Reporter({
      creds: { workerUrl: url, keyId: "ops-1", key: KEY },
      agentId: "ops-1",
      agentVersion: "test",
      spool,
      log: silentLogger,
      maxSpoolAgeDays: 36500,
    });
    expect(await reporter.sendOne()).toBe("delivered");
    expect((await spool.list()).map((b) => b.batchId)).toEqual([
      `${sealed?.batchId}-a`,
      `${sealed?.batchId}-b`,
    ]);
  });
});
