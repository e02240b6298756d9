import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { AlertEvent } from "../../src/core/alerts/event.ts";
import type { StatusResponse } from "../../src/core/public.ts";
import type { SlaReportBody } from "../../src/core/sla/schema.ts";
import type { ReceivedRequest } from "../../src/sim/receivers.ts";
import { VALIDATOR_KEYS } from "../support/fleet-layout.ts";
import { api, control, flushBoard, probeNow, sleep } from "./helpers.ts";

// A validator key through the whole pipeline: probe → state object → board → status API, status
// page, /metrics, the alert outbox and the SLA report. vp-key judges the key val-pipe runs;
// vp-node watches val-pipe's REST port and is tagged with the key.

const receivers = inject("receivers");
const KEY = VALIDATOR_KEYS.pipeline;
const outbox = () => env.ALERTS.getByName("outbox");

/** The Worker, with a report signing key (the shared test bindings carry none). */
async function call(path: string): Promise<Response> {
  const { default: worker } = await import("../../src/worker/index.ts");
  const { createExecutionContext } = await import("cloudflare:test");
  const bindings = { ...env, REPORT_SIGNING_KEY: "test-report-signing-key" };
  return worker.fetch(new Request(`http://uptime.test${path}`), bindings, createExecutionContext());
}
const text = async (path: string) => (await call(path)).text();

async function webhookEvents(): Promise<AlertEvent[]> {
  const res = await fetch(`${receivers.url}/_received?path=${encodeURIComponent("/webhook/ops")}`);
  return ((await res.json()) as ReceivedRequest[])
    .filter((r) => r.status !== undefined && r.status < 300)
    .map((r) => r.body as AlertEvent)
    .filter((e) => e.monitor?.id === "vp-key");
}

/** The alerts reach the outbox after the batch that raised them: drain until `kind` arrives. */
async function alertOf(kind: AlertEvent["kind"]): Promise<AlertEvent | undefined> {
  const end = Date.now() + 10_000;
  for (;;) {
    await drainOutbox();
    const found = (await webhookEvents()).find((e) => e.kind === kind);
    if (found || Date.now() > end) return found;
    await sleep(200);
  }
}

async function drainOutbox() {
  await runInDurableObject(outbox(), (_i, state) =>
    state.storage.sql.exec("UPDATE deliveries SET next_at = 0 WHERE status = 'pending'"),
  );
  await runDurableObjectAlarm(outbox());
}

const probe = async () => {
  await probeNow("weur", ["vp-key", "vp-node"]);
  await flushBoard();
};
const status = async () => (await api<StatusResponse>("/api/v1/status")).body;
const monitor = async (id: string) => (await status()).monitors.find((m) => m.id === id);

afterAll(async () => {
  await control.setValidator(KEY, { status: "active" });
});

describe("a validator key through the pipeline", () => {
  it("an active key: up in the status API with its key, its own page section, /metrics", async () => {
    await probe();
    await probe();
    const m = await monitor("vp-key");
    expect(m).toMatchObject({
      state: "up",
      kind: "casper-validator",
      validator: { chain: "casper", key: KEY },
    });
    expect(JSON.stringify(m)).not.toContain("127.0.0.1");

    const page = await text("/");
    const section = page.slice(
      page.indexOf('<section id="validators"'),
      page.indexOf("</section>", page.indexOf('<section id="validators"')),
    );
    expect(section).toContain("Validator Ops");
    expect(section).toContain('data-monitor="vp-key"');
    expect(section).toContain(`title="${KEY}"`);
    // Its node is listed with the nodes, not with the keys.
    expect(section).not.toContain('data-monitor="vp-node"');
    expect(page).toContain('data-monitor="vp-node"');

    const metrics = await text("/metrics");
    expect(metrics).toContain(`chain_uptime_validator_info{id="vp-key",chain="casper",key="${KEY}"} 1`);
    expect(metrics).toContain('chain_uptime_validator_active{id="vp-key"} 1');
  });

  it("CannotPropose: a validator_status alert at the first probe, then degraded with the reason", async () => {
    await control.setValidator(KEY, { status: "cannot-propose" });
    await probe();
    const statusAlert = await alertOf("validator_status");
    expect(statusAlert).toMatchObject({ severity: "warning", monitor: { kind: "casper-validator" } });
    expect(statusAlert?.title).toMatch(/^Test vp-key: .* is marked CannotPropose in era \d+$/);
    // Once only, however many probes see it.
    await probe();
    await drainOutbox();
    expect((await webhookEvents()).filter((e) => e.kind === "validator_status")).toHaveLength(1);

    const m = await monitor("vp-key");
    expect(m?.state).toBe("degraded");
    expect(m?.reasons.join(" ")).toContain("CannotPropose");
    expect(await text("/metrics")).toContain('chain_uptime_validator_active{id="vp-key"} 0');
    // The node itself is fine: a port check alone would say nothing.
    expect((await monitor("vp-node"))?.state).toBe("up");
  });

  it("an eviction ahead is announced as validator_eviction before it happens", async () => {
    await control.setValidator(KEY, { status: "evicting" });
    await probe();
    const eviction = await alertOf("validator_eviction");
    expect(eviction).toMatchObject({ severity: "warning" });
    expect(eviction?.title).toMatch(/evicted when era \d+ ends$/);
  });

  it("the SLA report has the key's row beside its node's availability", async () => {
    await sleep(1100);
    await probe();
    const month = new Date().toISOString().slice(0, 7);
    const res = await call(
      `/api/v1/reports/sla?operator=${encodeURIComponent("Validator Ops")}&month=${month}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as SlaReportBody;
    expect(body.validators).toHaveLength(1);
    const row = body.validators[0];
    expect(row).toMatchObject({ monitorId: "vp-key", chain: "casper", key: KEY, nodeMonitors: ["vp-node"] });
    // Up for the first test's probes, degraded since: active below 100 %, the node at 100 %.
    expect(row?.upSec).toBeGreaterThan(0);
    expect(row?.degradedSec).toBeGreaterThan(0);
    expect(row?.activePercent).toBeLessThan(100);
    expect(row?.nodeAvailabilityPercent).toBe(100);
  });
});
