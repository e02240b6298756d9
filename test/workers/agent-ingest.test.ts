import {
  createExecutionContext,
  env,
  evictDurableObject,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AGENT_HEADERS, AGENT_PATHS, MAX_BODY_BYTES } from "../../src/core/agent/protocol.ts";
import { signRequest } from "../../src/core/agent/signature.ts";
import type { ProbeRecord } from "../../src/core/records.ts";
import { AGENT_ADMIN_TOKEN, AGENT_KEYS } from "./agent-support.ts";

// The agent endpoints in workerd: every refusal (tampered, stale, replayed, oversized, out of
// scope, …) gets a clear 4xx and stores nothing; a good batch shows up as a vantage in /status.

async function call(req: Request): Promise<{ status: number; body: Record<string, unknown> }> {
  const { default: worker } = await import("../../src/worker/index.ts");
  const res = await worker.fetch(req, env, createExecutionContext());
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface SignOpts {
  keyId?: string;
  key?: string;
  timestamp?: number;
  /** Sign this text but send `body` (tampering). */
  signedBody?: string;
}

async function signedRequest(
  method: "GET" | "POST",
  path: string,
  body: string,
  o: SignOpts = {},
): Promise<Request> {
  const ts = String(o.timestamp ?? Date.now());
  const keyId = o.keyId ?? "ops-1";
  const key = o.key ?? AGENT_KEYS["ops-1"];
  const signature = await signRequest(key, ts, o.signedBody ?? body);
  return new Request(`http://uptime.test${path}`, {
    method,
    headers: {
      [AGENT_HEADERS.keyId]: keyId,
      [AGENT_HEADERS.timestamp]: ts,
      [AGENT_HEADERS.signature]: signature,
      "content-type": "application/json",
    },
    body: method === "POST" ? body : undefined,
  });
}

let seq = 0;
const batchId = () => `test-batch-${Date.now().toString(36)}-${seq++}`;

function record(monitorId: string, extra: Partial<ProbeRecord> = {}, agent = "ops-1"): ProbeRecord {
  const now = Date.now();
  return {
    monitorId,
    vantage: `agent:${agent}`,
    scheduledAt: now - 500,
    checkedAt: now - 400,
    result: { ok: true, latencyMs: 12 },
    ...extra,
  };
}

const batch = (records: ProbeRecord[], agentId = "ops-1", id = batchId()) =>
  JSON.stringify({ agentId, batchId: id, createdAt: Date.now(), agentVersion: "test", records });

const post = async (body: string, o: SignOpts = {}) =>
  call(await signedRequest("POST", AGENT_PATHS.results, body, o));

async function history(monitorId: string) {
  const r = await call(new Request(`http://uptime.test/api/v1/monitors/${monitorId}/history`));
  return r.body.results as { vantage: string; state: string; at: string }[];
}

async function flushBoard() {
  await runDurableObjectAlarm(env.BOARD.getByName("global"));
}

describe("POST /api/v1/agent/results", () => {
  it("a good batch is applied and appears as a vantage in GET /api/v1/status", async () => {
    const r = await post(batch([record("cert-a"), record("tcp-c")]));
    expect(r).toEqual({ status: 200, body: expect.objectContaining({ ok: true, applied: 2 }) });
    await flushBoard();
    const status = await call(new Request("http://uptime.test/api/v1/status"));
    const monitors = status.body.monitors as {
      id: string;
      state: string;
      vantages: { region: string; state: string }[];
    }[];
    const cert = monitors.find((m) => m.id === "cert-a");
    expect(cert?.state).toBe("up");
    expect(cert?.vantages).toEqual([expect.objectContaining({ region: "agent:ops-1", state: "up" })]);
    const tcp = monitors.find((m) => m.id === "tcp-c");
    expect(tcp?.vantages.map((v) => v.region)).toEqual(["agent:ops-1"]);
  });

  it("a tampered body is refused (bad_signature) and nothing of it is stored", async () => {
    const original = batch([record("udp-a")]);
    const tampered = original.replace('"ok":true', '"ok":false');
    const r = await post(tampered, { signedBody: original });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: "bad_signature" });
    expect(r.body.message).toMatch(/signature does not verify for key id 'ops-1'/);
    expect(await history("udp-a")).toEqual([]);
  });

  it("a stale timestamp is refused (clock_skew) with the Worker's time", async () => {
    const r = await post(batch([record("udp-a")]), { timestamp: Date.now() - 10 * 60_000 });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: "clock_skew", serverTime: expect.any(Number) });
    expect(r.body.message).toMatch(/^timestamp is 600 s behind the Worker's clock; the window is ±300 s$/);
    expect(await history("udp-a")).toEqual([]);
  });

  it("a replayed batch id is refused (duplicate_batch) and applied only once", async () => {
    const id = batchId();
    const body = batch([record("udp-a", { checkedAt: Date.now() - 300 })], "ops-1", id);
    const first = await post(body);
    expect(first.status).toBe(200);
    // The identical request again (a replay), and a fresh signature over the same batch (a resend).
    const req = await signedRequest("POST", AGENT_PATHS.results, body);
    const replay = await call(req.clone());
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({
      error: "duplicate_batch",
      batchId: id,
      appliedAt: expect.any(String),
    });
    const resend = await post(body);
    expect(resend.status).toBe(409);
    expect((await history("udp-a")).filter((p) => p.vantage === "agent:ops-1")).toHaveLength(1);
  });

  it("an oversized body is refused (too_large) before anything is read into storage", async () => {
    const records = Array.from({ length: 900 }, () =>
      record("udp-a", { result: { ok: true, latencyMs: 1, error: undefined } }),
    );
    let body = batch(records);
    body = body.replace(
      '"agentVersion":"test"',
      `"agentVersion":"${"x".repeat(40)}","pad":"${"y".repeat(MAX_BODY_BYTES)}"`,
    );
    const r = await post(body);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error: "too_large" });
    // 10 MB, unsigned: the size is judged before anything else, so this too is a 413.
    const huge = await call(
      new Request(`http://uptime.test${AGENT_PATHS.results}`, {
        method: "POST",
        body: "z".repeat(10 * 1_048_576),
      }),
    );
    expect(huge).toMatchObject({ status: 413, body: { error: "too_large" } });
  });

  it("records for monitors outside the agent's scope refuse the whole batch (out_of_scope)", async () => {
    const body = batch([record("p2p-b", {}, "ops-2"), record("cert-a", {}, "ops-2")], "ops-2");
    const r = await post(body, { keyId: "ops-2-2026", key: AGENT_KEYS["ops-2"] });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: "out_of_scope", monitors: ["cert-a"] });
    expect(r.body.message).toMatch(
      /^monitors not assigned to agent ops-2: cert-a; nothing from this batch was stored$/,
    );
    expect(await history("p2p-b")).toEqual([]);
  });

  it("an agent may not report as another vantage, nor name another agent in the body", async () => {
    const asRegion = await post(batch([record("tcp-c", { vantage: "weur" })]));
    expect(asRegion).toMatchObject({ status: 403, body: { error: "out_of_scope" } });
    const other = await post(batch([record("udp-a", {}, "ops-2")], "ops-2"));
    expect(other).toMatchObject({ status: 403, body: { error: "agent_mismatch" } });
  });

  it("names missing headers, unknown keys, a key the Worker lacks, and bad bodies", async () => {
    const bare = await call(
      new Request(`http://uptime.test${AGENT_PATHS.results}`, { method: "POST", body: "{}" }),
    );
    expect(bare).toMatchObject({
      status: 401,
      body: {
        error: "missing_signature",
        message: "missing header X-Agent-Key-Id, X-Agent-Timestamp, X-Agent-Signature",
      },
    });
    expect(await post(batch([record("udp-a")]), { keyId: "nobody" })).toMatchObject({
      status: 401,
      body: { error: "unknown_key" },
    });
    expect(await post(batch([record("udp-a")], "ops-3"), { keyId: "ops-3", key: "x" })).toMatchObject({
      status: 503,
      body: {
        error: "agent_key_not_set",
        message: "the Worker secret AGENT_OPS_3_KEY_NOT_SET (key of agent ops-3) is not set",
      },
    });
    const invalid = await post(JSON.stringify({ agentId: "ops-1", batchId: "x", records: [] }));
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: "invalid_batch" });
    expect((invalid.body.issues as { parameter: string }[]).map((i) => i.parameter)).toEqual(
      expect.arrayContaining(["batchId", "createdAt", "records"]),
    );
  });

  it("writes one row per batch in the agent object, not one per probe", async () => {
    const stub = env.AGENTS.getByName("agent:ops-1");
    const before = await stub.status();
    for (let i = 0; i < 3; i++) {
      const r = await post(
        // One record per interval slot (udp-a probes every 600 s): an agent keeps one per slot.
        batch(
          Array.from({ length: 10 }, (_, j) =>
            record("udp-a", { checkedAt: Date.now() - (i * 10 + j + 1) * 600_000 }),
          ),
        ),
      );
      expect(r.status).toBe(200);
    }
    const after = await stub.status();
    expect(after.batches - before.batches).toBe(3);
    expect(after.records - before.records).toBe(30);
    expect(after.rowsWritten - before.rowsWritten).toBeLessThanOrEqual(3 + 1); // + at most one last-seen upsert
  });
});

describe("what an agent sends is not trusted", () => {
  it("keeps one result per monitor, vantage and interval slot, and says which it dropped", async () => {
    const ops2 = { keyId: "ops-2-2026", key: AGENT_KEYS["ops-2"] };
    const now = Date.now();
    const first = await post(
      batch(
        [
          record("p2p-b", { checkedAt: now - 400 }, "ops-2"),
          record("p2p-b", { checkedAt: now - 300 }, "ops-2"),
        ],
        "ops-2",
      ),
      ops2,
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      applied: 1,
      duplicates: [
        { monitorId: "p2p-b", checkedAt: now - 300, reason: expect.stringMatching(/interval slot/) },
      ],
    });
    const again = await post(batch([record("p2p-b", { checkedAt: now - 200 }, "ops-2")], "ops-2"), ops2);
    expect(again.body).toMatchObject({
      applied: 0,
      duplicates: [{ monitorId: "p2p-b", checkedAt: now - 200 }],
    });
    expect((await history("p2p-b")).filter((p) => p.vantage === "agent:ops-2")).toHaveLength(1);
  });

  it("redacts hosts, IPs, URLs and query strings in agent text before any public output", async () => {
    const leak =
      "GET https://rpc-d.internal:8545/health?apikey=SECRETKEY refused by 10.20.30.40:8545; " +
      "retried 192.168.1.5 and [fd00::7]:8545, path /health?apikey=SECRETKEY on rpc-d.internal";
    const failed = { ok: false, latencyMs: 5, error: { kind: "refused" as const, message: leak } };
    const r = await post(batch([record("rpc-d", { result: failed })]));
    expect(r.status).toBe(200);
    await flushBoard();
    const secrets = /rpc-d\.internal|10\.20\.30\.40|192\.168\.1\.5|fd00::7|SECRETKEY|8545/;
    const admin = { authorization: `Bearer ${AGENT_ADMIN_TOKEN}` };
    const month = new Date().toISOString().slice(0, 7);
    const outputs: Record<string, string> = {};
    for (const [name, path, headers] of [
      ["status", "/api/v1/status", {}],
      ["monitor", "/api/v1/monitors/rpc-d", {}],
      ["history", "/api/v1/monitors/rpc-d/history", {}],
      ["incidents", "/api/v1/incidents?monitor=rpc-d", {}],
      ["page", "/", {}],
      ["metrics", "/metrics", {}],
      ["sla", `/api/v1/reports/sla?monitor=rpc-d&month=${month}`, {}],
      ["alerts", "/api/v1/alerts", admin],
    ] as const) {
      const { default: worker } = await import("../../src/worker/index.ts");
      const res = await worker.fetch(
        new Request(`http://uptime.test${path}`, { headers }),
        env,
        createExecutionContext(),
      );
      expect(res.status, name).toBe(200);
      outputs[name] = await res.text();
    }
    for (const [name, text] of Object.entries(outputs)) expect(text, name).not.toMatch(secrets);
    // The text itself got through, redacted: the operator still sees what happened.
    expect(outputs.incidents).toContain(
      "GET <url> refused by <ip>; retried <ip> and <ip>, path /health?<query> on <host>",
    );
    // The alert itself, as the outbox holds it for delivery (the admin list shows only titles).
    const deliveries = await env.ALERTS.getByName("outbox").list({ limit: 50 });
    const down = deliveries.find((d) => d.event.monitor?.id === "rpc-d" && d.event.kind === "down");
    expect(JSON.stringify(down?.event)).not.toMatch(secrets);
    expect(down?.event.reasons.join(" ")).toContain("refused by <ip>");
    expect(outputs.sla).toContain("refused by <ip>");
  });
});

describe("certificate facts reach the public API and /metrics", () => {
  it("the earliest expiry in the chain shows as certExpiresAt and chain_uptime_cert_expiry_timestamp_seconds", async () => {
    const now = Date.now();
    const notAfter = now + 10 * 86_400_000;
    const cert = {
      issuer: "CN=Test CA",
      notAfter: now + 300 * 86_400_000,
      daysLeft: 300,
      earliestNotAfter: notAfter,
      earliestDaysLeft: 10,
      sans: ["node.example"],
      selfSigned: false,
      chainLength: 2,
      trusted: true,
      fingerprint256: "AA:BB",
    };
    // An earlier interval slot than the first test's record of cert-a: one result per slot is kept.
    const r = await post(
      batch([
        record("cert-a", {
          checkedAt: Date.now() - 2 * 600_000,
          result: { ok: true, latencyMs: 12, facts: { cert } },
        }),
      ]),
    );
    expect(r.status).toBe(200);
    await flushBoard(); // a new expiry is reported at once, like a state change
    const m = await call(new Request("http://uptime.test/api/v1/monitors/cert-a"));
    expect(m.body.certExpiresAt).toBe(new Date(notAfter).toISOString());
    const text = await (
      await (
        await import("../../src/worker/index.ts")
      ).default.fetch(new Request("http://uptime.test/metrics"), env, createExecutionContext())
    ).text();
    const line = text
      .split("\n")
      .find((l) => l.startsWith('chain_uptime_cert_expiry_timestamp_seconds{id="cert-a"'));
    expect(Number(line?.split(" ").at(-1))).toBe(notAfter / 1000);
  });
});

describe("heartbeats, silence and assignments", () => {
  const heartbeat = (seqNo: number, bootId = "boot-aaaaaaaa") =>
    JSON.stringify({
      agentId: "ops-1",
      bootId,
      seq: seqNo,
      sentAt: Date.now(),
      agentVersion: "test",
      monitors: 3,
      assignmentsFrom: "worker",
      spool: { batches: 0, records: 0, oldestAt: null },
    });

  it("a replayed heartbeat is refused after the agent's object restarts too", async () => {
    const ok = await call(await signedRequest("POST", AGENT_PATHS.heartbeat, heartbeat(7, "boot-restart")));
    expect(ok.status).toBe(200);
    await evictDurableObject(env.AGENTS.getByName("agent:ops-1"));
    const replay = await call(
      await signedRequest("POST", AGENT_PATHS.heartbeat, heartbeat(7, "boot-restart")),
    );
    expect(replay).toMatchObject({ status: 409, body: { error: "replayed" } });
  });

  it("accepts a heartbeat once per sequence number and lists agents with their monitoring state", async () => {
    const ok = await call(await signedRequest("POST", AGENT_PATHS.heartbeat, heartbeat(1)));
    expect(ok).toMatchObject({ status: 200, body: { ok: true, heartbeatSec: 10 } });
    const again = await call(await signedRequest("POST", AGENT_PATHS.heartbeat, heartbeat(1)));
    expect(again).toMatchObject({ status: 409, body: { error: "replayed" } });
    const agents = await call(new Request("http://uptime.test/api/v1/agents"));
    const list = agents.body.agents as { id: string; state: string; monitoring: string; reasons: string[] }[];
    expect(list.find((a) => a.id === "ops-1")).toMatchObject({ state: "ok", monitoring: "ok" });
    expect(list.find((a) => a.id === "ops-3")).toMatchObject({
      state: "never_seen",
      monitoring: "degraded",
      reasons: ["monitoring degraded: agent ops-3 has never reported"],
    });
  });

  it("an agent that went silent turns its vantage unknown as 'monitoring degraded', not down", async () => {
    // A result from long ago (longer than 3 intervals + timeout), then the state object's sweep.
    const old = Date.now() - 40 * 60_000;
    const r = await post(batch([record("cert-a", { checkedAt: old, scheduledAt: old })]));
    expect(r.status).toBe(200);
    const state = env.STATE.getByName("state:generic:default");
    await runDurableObjectAlarm(state);
    await flushBoard();
    const status = await call(new Request("http://uptime.test/api/v1/monitors/cert-a"));
    const vantage = (status.body.vantages as { region: string; state: string; reasons: string[] }[])[0];
    expect(vantage).toMatchObject({ region: "agent:ops-1", state: "unknown" });
    expect(vantage?.reasons[0]).toMatch(/^monitoring degraded: agent ops-1 silent for \d+ s$/);
    expect(status.body.state).toBe("unknown");
  });

  it("the cron watchdog reports an agent that stopped reporting as 'monitoring degraded'", async () => {
    const ok = await call(await signedRequest("POST", AGENT_PATHS.heartbeat, heartbeat(50, "boot-silent")));
    expect(ok.status).toBe(200);
    const agent = env.AGENTS.getByName("agent:ops-1");
    // As if its last word came ten minutes ago (heartbeats every 10 s: silent after 30 s).
    await runInDurableObject(agent, (instance) => {
      const seen = (instance as unknown as { seen: { lastSeenAt: number } }).seen;
      seen.lastSeenAt -= 10 * 60_000;
    });
    const { default: worker } = await import("../../src/worker/index.ts");
    const { createScheduledController, waitOnExecutionContext } = await import("cloudflare:test");
    const ctx = createExecutionContext();
    await worker.scheduled?.(
      createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    await flushBoard();
    const status = await call(new Request("http://uptime.test/api/v1/status"));
    const monitoring = status.body.monitoring as { state: string; problems: string[] };
    expect(monitoring.state).toBe("degraded");
    expect(monitoring.problems).toContain("agent ops-1 has not reported for 10 min");
  });

  it("GET /api/v1/agent/assignments returns this agent's monitors only, signed", async () => {
    const r = await call(await signedRequest("GET", AGENT_PATHS.assignments, ""));
    expect(r.status).toBe(200);
    expect((r.body.monitors as { id: string }[]).map((m) => m.id).sort()).toEqual([
      "cert-a",
      "rpc-d",
      "tcp-c",
      "udp-a",
    ]);
    const unsigned = await call(new Request(`http://uptime.test${AGENT_PATHS.assignments}`));
    expect(unsigned.status).toBe(401);
  });
});

describe("the agent object", () => {
  it("remembers applied batch ids in SQLite", async () => {
    const stub = env.AGENTS.getByName("agent:ops-1");
    const rows = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM applied WHERE complete = 1").one(),
    );
    expect(rows.n).toBeGreaterThan(0);
  });
});
