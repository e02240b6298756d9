import { createExecutionContext, env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TEST_PUSH_TOKENS } from "../support/test-secrets.ts";
import { api, flushBoard, sleep, stateShard } from "./helpers.ts";

const SHARD = "state:generic:push-tests";
const state = () => stateShard(SHARD);

async function call(token: string, init: RequestInit & { query?: string } = {}) {
  const { default: worker } = await import("../../src/worker/index.ts");
  const url = `http://uptime.test/api/v1/push/${token}${init.query ? `?${init.query}` : ""}`;
  const res = await worker.fetch(new Request(url, init), env, createExecutionContext());
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const history = (monitorId: string, from: number) =>
  state().history({ monitorId, from, to: Date.now() + 1000, limit: 100 });

interface MonitorBody {
  state: string;
  reasons: string[];
  vantages: { region: string; state: string }[];
}

describe("push (heartbeat) monitors", () => {
  it("a heartbeat in time keeps the monitor up, seen from its one vantage, the caller", async () => {
    const t0 = Date.now();
    const res = await call(TEST_PUSH_TOKENS.PUSH_JOB_TOKEN, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, monitor: "push-job", state: "up", recorded: true });
    const expectedBy = Date.parse(res.body.expectedBy as string);
    expect(expectedBy - t0).toBeGreaterThanOrEqual(660_000 - 50); // interval 600 s + grace 60 s
    expect(expectedBy - t0).toBeLessThan(661_000);
    await flushBoard();
    const { body } = await api<MonitorBody>("/api/v1/monitors/push-job");
    expect(body.state).toBe("up");
    expect(body.vantages.map((v) => [v.region, v.state])).toEqual([["push", "up"]]);
  });

  it("a call saying status=down, with a message and a duration, is down with that message; the next up recovers", async () => {
    const t0 = Date.now();
    const down = await call(TEST_PUSH_TOKENS.PUSH_JOB_TOKEN, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "down", msg: "backup failed: disk full", durationMs: 4200 }),
    });
    expect(down.body).toMatchObject({ state: "down", recorded: true });
    await flushBoard();
    const seen = await api<MonitorBody>("/api/v1/monitors/push-job");
    expect(seen.body.state).toBe("down");
    expect(seen.body.reasons).toEqual(["reported down: backup failed: disk full"]);
    // the same words again in the same interval: nothing new to store
    const again = await call(TEST_PUSH_TOKENS.PUSH_JOB_TOKEN, { query: "status=down&msg=still+full" });
    expect(again.body).toMatchObject({ state: "down", recorded: false });
    const up = await call(TEST_PUSH_TOKENS.PUSH_JOB_TOKEN, { query: "status=up&durationMs=900" });
    expect(up.body).toMatchObject({ state: "up", recorded: true });
    const points = await history("push-job", t0);
    expect(points.map((p) => [p.vantage, p.state, p.latencyMs])).toEqual([
      ["push", "down", 4200],
      ["push", "up", 900],
    ]);
  });

  it("a burst of calls in one interval stores one record, not one per call", async () => {
    const t0 = Date.now();
    const before = (await state().stats()).rowsWritten;
    const answers = [];
    for (let i = 0; i < 15; i++)
      answers.push(await call(TEST_PUSH_TOKENS.PUSH_BURST_TOKEN, { method: "POST" }));
    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(200));
    expect(answers.filter((a) => a.body.recorded)).toHaveLength(1);
    expect(await history("push-burst", t0)).toHaveLength(1);
    // one batch row; the checkpoint or a rollup may add a few, never one per call
    expect((await state().stats()).rowsWritten - before).toBeLessThan(5);
  });

  it("no heartbeat within interval + grace is down, saying how long; one record per interval while silent", async () => {
    const t0 = Date.now();
    expect((await call(TEST_PUSH_TOKENS.PUSH_LATE_TOKEN)).body).toMatchObject({
      state: "up",
      recorded: true,
    });
    await runDurableObjectAlarm(state()); // before the deadline: nothing happens
    expect((await history("push-late", t0)).map((p) => p.state)).toEqual(["up"]);
    const beatAt = (await history("push-late", t0))[0]?.at ?? t0;
    // Interval 10 s, grace 0: down once the deadline passes. Idle for 10 s, the local runtime may
    // evict the state object; a restarted one counts from the end of the beat's slot at the latest
    // (it cannot know of later calls in that slot), so the down may come up to an interval later.
    await sleep(9_000);
    let points = await history("push-late", t0);
    while (points.length < 2 && Date.now() < beatAt + 22_000) {
      await runDurableObjectAlarm(state());
      points = await history("push-late", t0);
      if (points.length < 2) await sleep(500);
    }
    expect(points.map((p) => p.state)).toEqual(["up", "down"]);
    const downAt = points[1]?.at ?? 0;
    expect(downAt).toBeGreaterThanOrEqual(beatAt + 10_000); // never before the deadline
    await runDurableObjectAlarm(state()); // the same slot: no second record
    expect(await history("push-late", t0)).toHaveLength(2);
    await flushBoard();
    const { body } = await api<MonitorBody>("/api/v1/monitors/push-late");
    expect(body.state).toBe("down");
    expect(body.reasons).toHaveLength(1);
    expect(body.reasons[0]).toMatch(/^no heartbeat for (1\d|2[0-2]) s, expected every 10 s$/);
    // the job comes back: up at once
    expect((await call(TEST_PUSH_TOKENS.PUSH_LATE_TOKEN)).body).toMatchObject({
      state: "up",
      recorded: true,
    });
  });

  it("a monitor never called waits for its first heartbeat: unknown, never a false down", async () => {
    await sleep(200);
    await runDurableObjectAlarm(state());
    await flushBoard();
    const { body } = await api<MonitorBody>("/api/v1/monitors/push-idle");
    expect(body.state).toBe("unknown");
  });

  it("a wrong token is the same 404 as any unknown path, revealing nothing", async () => {
    const wrong = await call("not-a-configured-token-123");
    const short = await call("x");
    const { default: worker } = await import("../../src/worker/index.ts");
    const nowhere = await worker.fetch(
      new Request("http://uptime.test/api/v1/nowhere"),
      env,
      createExecutionContext(),
    );
    expect(wrong.status).toBe(404);
    expect(short.status).toBe(404);
    expect(nowhere.status).toBe(404);
    expect(Object.keys(wrong.body).sort()).toEqual(Object.keys((await nowhere.json()) as object).sort());
    expect(wrong.body).toEqual({
      error: "not_found",
      message: "no route for GET /api/v1/push/not-a-configured-token-123",
    });
  });

  it("bad calls are refused naming the problem: unknown status 400, a big body 413, nothing stored", async () => {
    const t0 = Date.now();
    const bad = await call(TEST_PUSH_TOKENS.PUSH_JOB_TOKEN, { query: "status=maybe" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: "invalid_request",
      issues: [{ parameter: "status", message: "expected 'up' or 'down'" }],
    });
    const extra = await call(TEST_PUSH_TOKENS.PUSH_JOB_TOKEN, { query: "stauts=down" });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain("stauts");
    const big = await call(TEST_PUSH_TOKENS.PUSH_JOB_TOKEN, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "down", msg: "x".repeat(2000) }),
    });
    expect([big.status, big.body]).toEqual([413, expect.anything()]);
    const long = await call(TEST_PUSH_TOKENS.PUSH_JOB_TOKEN, { query: `status=down&msg=${"y".repeat(201)}` });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ issues: [{ parameter: "msg" }] });
    expect(await history("push-job", t0)).toEqual([]);
  });

  it("calls are rate limited per monitor: past the limit a 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 30; i++) {
      const res = await call(TEST_PUSH_TOKENS.PUSH_LIMIT_TOKEN, { method: "POST" });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses).toContain(429);
    expect(retryAfter).toBe("10");
    // another monitor's calls are not limited by this one's
    expect((await call(TEST_PUSH_TOKENS.PUSH_BURST_TOKEN)).status).toBe(200);
  });
});
