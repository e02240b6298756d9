import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, describe, expect, inject, it } from "vitest";
import { SHED_AFTER_MS } from "../../src/core/shed.ts";
import { StartWindows } from "../../src/core/start-window.ts";
import type { ReceivedRequest } from "../../src/sim/receivers.ts";
import { api, control, flushBoard, probeNow, prober, runCron, sleep, stateShard } from "./helpers.ts";

const receivers = inject("receivers");

async function admin(method: string, path: string, body?: unknown) {
  const { default: worker } = await import("../../src/worker/index.ts");
  const { createExecutionContext } = await import("cloudflare:test");
  const res = await worker.fetch(
    new Request(`http://uptime.test${path}`, {
      method,
      headers: { authorization: "Bearer test-admin-token", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    env,
    createExecutionContext(),
  );
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

async function webhookIds(): Promise<string[]> {
  const res = await fetch(`${receivers.url}/_received?path=${encodeURIComponent("/webhook/ops")}`);
  return ((await res.json()) as ReceivedRequest[])
    .filter((r) => r.status === 200)
    .map((r) => (r.body as { id: string }).id);
}

/** Uses alert-b through the watch-1 monitor (region afr) and the maintenance window API. */
describe("maintenance windows from the admin API", () => {
  afterAll(async () => {
    await admin("DELETE", "/api/v1/admin/maintenance/test-window");
    await control.heal("alert-b");
  });

  it("validates the window and needs the admin token", async () => {
    const bad = await admin("PUT", "/api/v1/admin/maintenance/x", { start: "tomorrow", end: "later" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/start/);
    const anon = await api("/api/v1/admin/maintenance/x");
    expect(anon.status).toBe(404); // GET is not a route; PUT without a token:
    const { default: worker } = await import("../../src/worker/index.ts");
    const { createExecutionContext } = await import("cloudflare:test");
    const res = await worker.fetch(
      new Request("http://uptime.test/api/v1/admin/maintenance/x", { method: "PUT", body: "{}" }),
      env,
      createExecutionContext(),
    );
    expect(res.status).toBe(401);
  });

  it("a window covering a monitor makes it 'maintenance' whatever it sees, and is listed", async () => {
    await probeNow("afr", ["watch-1"]);
    const now = Date.now();
    const put = await admin("PUT", "/api/v1/admin/maintenance/test-window", {
      title: "P2P port migration",
      start: new Date(now - 60_000).toISOString(),
      end: new Date(now + 3_600_000).toISOString(),
      monitors: ["watch-1"],
    });
    expect(put.status).toBe(201);
    await control.setFault("alert-b", { fault: "refusing" });
    await probeNow("afr", ["watch-1"]);
    await probeNow("afr", ["watch-1"]);
    await flushBoard();
    const m = await api<{ state: string; reasons: string[] }>("/api/v1/monitors/watch-1");
    expect(m.body.state).toBe("maintenance");
    expect(m.body.reasons).toEqual(["planned maintenance: P2P port migration"]);
    const status = await api<{ maintenance: { id: string; monitors: string[]; source: string }[] }>(
      "/api/v1/status",
    );
    expect(status.body.maintenance).toContainEqual(
      expect.objectContaining({ id: "test-window", monitors: ["watch-1"], source: "admin" }),
    );
    // removing the window: the next probe shows the truth
    expect((await admin("DELETE", "/api/v1/admin/maintenance/test-window")).status).toBe(204);
    await probeNow("afr", ["watch-1"]);
    await probeNow("afr", ["watch-1"]);
    await flushBoard();
    expect((await api<{ state: string }>("/api/v1/monitors/watch-1")).body.state).toBe("down");
    await control.heal("alert-b");
    await probeNow("afr", ["watch-1"]);
    await probeNow("afr", ["watch-1"]);
  });
});

describe("watching ourselves", () => {
  it("a prober that stopped probing is 'monitoring degraded' in the API and alerts once; it recovers", async () => {
    const stub = prober("afr");
    await probeNow("afr", ["watch-1"]);
    // Age the prober's clock, as if its alarm had stopped firing 45 minutes ago.
    await runInDurableObject(stub, (_i, state) => {
      const row = state.storage.sql.exec<{ v: string }>("SELECT v FROM prober WHERE k = 'slots'").one();
      const saved = JSON.parse(row.v) as { at: number };
      saved.at -= 45 * 60_000; // its monitors run every 10 min: silent after 30
      state.storage.sql.exec("UPDATE prober SET v = ? WHERE k = 'slots'", JSON.stringify(saved));
    });
    await evictDurableObject(stub);
    const cron = runCron;
    await cron();
    await flushBoard();
    const s = await api<{ monitoring: { state: string; problems: string[] } }>("/api/v1/status");
    expect(s.body.monitoring.state).toBe("degraded");
    expect(s.body.monitoring.problems.join("; ")).toMatch(/prober afr\/0 has not probed for 4\d min/);
    let ids: string[] = [];
    for (let i = 0; i < 50 && !ids.some((id) => id.startsWith("checker:degraded:")); i++) {
      await sleep(100);
      ids = await webhookIds();
    }
    expect(ids.filter((id) => id.startsWith("checker:degraded:"))).toHaveLength(1);
    await cron(); // still silent: no second alert
    // the prober runs again: the next watchdog run clears it
    await probeNow("afr", ["watch-1"]);
    await cron();
    await flushBoard();
    expect((await api<{ monitoring: { state: string } }>("/api/v1/status")).body.monitoring.state).toBe("ok");
    for (let i = 0; i < 50 && !ids.some((id) => id.startsWith("checker:recovered:")); i++) {
      await sleep(100);
      ids = await webhookIds();
    }
    expect(ids.filter((id) => id.startsWith("checker:degraded:"))).toHaveLength(1);
    expect(ids.filter((id) => id.startsWith("checker:recovered:"))).toHaveLength(1);
    for (const region of ["weur", "enam", "apac", "oc", "afr"] as const) {
      await runInDurableObject(prober(region), (_i, state) => state.storage.deleteAlarm());
    }
    await runDurableObjectAlarm(stateShard("state:casper:casper-watch"));
  });

  it("a prober that keeps starting probes late is 'monitoring degraded', saying how late; on time again, ok", async () => {
    const stub = prober("afr");
    await probeNow("afr", ["watch-1"]);
    // Its last complete minute: 40 scheduled starts, 30 of them more than 1 s late.
    const plant = (late: number) =>
      runInDurableObject(stub, (instance) => {
        const w = new StartWindows(Date.now() - 61_000);
        for (let i = 0; i < 40; i++) w.add(Date.now() - 61_000 + i * 1000, i < late ? 4200 : 300, i < late);
        (instance as unknown as { windows: StartWindows }).windows = w;
      });
    const cron = async () => {
      await runCron();
      await flushBoard();
      return (await api<{ monitoring: { state: string; problems: string[] } }>("/api/v1/status")).body
        .monitoring;
    };
    await plant(30);
    const behind = await cron();
    expect(behind.state).toBe("degraded");
    expect(behind.problems, JSON.stringify(behind.problems)).toContain(
      "prober afr/0 is behind its schedule: 75 % of its probes in the last minute started more than 1 s late (the latest 4.2 s)",
    );
    await plant(0);
    expect((await cron()).state).toBe("ok");
    for (const region of ["weur", "enam", "apac", "oc", "afr"] as const) {
      await runInDurableObject(prober(region), (_i, state) => state.storage.deleteAlarm());
    }
  });
  it("a runtime too busy to start probes skips them and says so: 'monitoring degraded' until a minute without", async () => {
    const name = "state:casper:casper-watch";
    const shard = stateShard(name);
    // The state object's minute in progress began 59 s ago: the skip lands in it, and it ends in 1 s.
    const minuteFrom = Date.now() - 59_000;
    const plant = (from: number) =>
      runInDurableObject(shard, (instance) => {
        (instance as unknown as { startWindows: StartWindows }).startWindows = new StartWindows(from);
      });
    await plant(minuteFrom);
    const stale = Date.now() - SHED_AFTER_MS - 1_000;
    const job = await env.RUNNER.run({
      region: "afr",
      orders: [{ monitorId: "watch-1", scheduledAt: stale, handedAt: stale }],
    });
    expect(job.probed).toBe(0);
    const cron = async () => {
      await runCron();
      await flushBoard();
      return (await api<{ monitoring: { state: string; problems: string[] } }>("/api/v1/status")).body
        .monitoring;
    };
    await sleep(Math.max(0, minuteFrom + 60_000 + 50 - Date.now()));
    const skipping = await cron();
    expect(skipping.state).toBe("degraded");
    expect(skipping.problems, JSON.stringify(skipping.problems)).toContain(
      `probes for ${name} skipped: 1 of 1 scheduled in the last minute could not start within 5 s (the checker is past its capacity)`,
    );
    await plant(Date.now() - 61_000); // a minute with nothing skipped
    expect((await cron()).state).toBe("ok");
    for (const region of ["weur", "enam", "apac", "oc", "afr", "wnam", "me"] as const) {
      await runInDurableObject(prober(region), (_i, state) => state.storage.deleteAlarm());
    }
  });
});

describe("the monthly SLA report", () => {
  it("goes to the channels routed for sla_report once per month, with a line per monitor", async () => {
    const { deliverMonthlyReport } = await import("../../src/worker/reports/monthly.ts");
    await probeNow("afr", ["watch-1"]);
    // As if the cron ran on the first of next month: the month reported is this one.
    const d = new Date();
    const nextMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 0, 5);
    const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    expect(await deliverMonthlyReport(env, nextMonth)).toEqual({ month, sent: true });
    expect(await deliverMonthlyReport(env, nextMonth)).toEqual({ month, sent: false }); // once a month
    let reports: ReceivedRequest[] = [];
    for (let i = 0; i < 50 && reports.length === 0; i++) {
      await sleep(100);
      const res = await fetch(`${receivers.url}/_received?path=${encodeURIComponent("/webhook/ops")}`);
      reports = ((await res.json()) as ReceivedRequest[]).filter(
        (r) => r.status === 200 && (r.body as { id: string }).id === `sla-report:${month}`,
      );
    }
    expect(reports).toHaveLength(1);
    const body = reports[0]?.body as { kind: string; title: string; reasons: string[] };
    expect(body.kind).toBe("sla_report");
    expect(body.title).toMatch(
      new RegExp(`^SLA report ${month} \\(UTC\\): \\d+ of \\d+ monitors met their target`),
    );
    expect(body.reasons.some((r) => r.startsWith("Test watch-1: "))).toBe(true);
  });
});
