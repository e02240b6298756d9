import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "../../src/core/prometheus/parse.ts";
import { createApp } from "../../src/worker/api/app.ts";
import { OPERATIONS } from "../../src/worker/api/openapi.ts";
import { namingProblems } from "../support/prometheus-naming.ts";
import { board, flushBoard, probeNow } from "./helpers.ts";

const ADMIN = { authorization: "Bearer test-admin-token" };

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const { default: worker } = await import("../../src/worker/index.ts");
  return worker.fetch(new Request(`http://uptime.test${path}`, init), env, createExecutionContext());
}

const HOST_OR_PORT = /127\.0\.0\.1|localhost|:\d{4,5}\b/;

describe("OpenAPI covers the app", () => {
  it("every route the app serves is in /openapi.json, and nothing else is", async () => {
    const app = createApp();
    const served = new Set(
      app.routes
        .filter((r) => r.method !== "ALL")
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`),
    );
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`)),
    );
    expect(
      [...served].filter((r) => !documented.has(r)),
      "routes missing from the document",
    ).toEqual([]);
    expect(
      [...documented].filter((r) => !served.has(r)),
      "documented but not served",
    ).toEqual([]);
    expect(OPERATIONS.length).toBe(documented.size);
  });

  it("/docs is a self-contained page: no third-party scripts, styles or fonts", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!json-schema)/);
    expect(res.headers.get("content-security-policy")).toContain("connect-src 'self'");
  });
});

describe("status page", () => {
  it("renders groups, bars and states; never a private target; ETag, 304 and Cache-Control", async () => {
    await probeNow("weur", ["a-rest", "a-p2p"]);
    const res = await call("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = res.headers.get("etag");
    expect(etag).toBeTruthy();
    const html = await res.text();
    expect(html).toContain('data-monitor="a-p2p"');
    // More monitors than the page draws in full: per chain, its bars and a list per operator;
    // each monitor's bars are on its own page.
    expect(html).toMatch(/data-chain="casper"/);
    expect(html).toContain("<strong>Test Ops</strong>");
    expect(html).toContain('href="/monitors/a-p2p"');
    const own = await call("/monitors/a-p2p");
    expect(own.status).toBe(200);
    const block = await own.text();
    expect(block).toContain('data-monitor="a-p2p"');
    expect(block).not.toMatch(HOST_OR_PORT);
    expect((block.match(/class="bar bar-/g) ?? []).length).toBe(90);
    expect((await call("/monitors/no-such-monitor")).status).toBe(404);
    // Only public monitors show a target; the page must contain no other host or port.
    const withoutPublic = html.replace(/http:\/\/127\.0\.0\.1:\d+\/status/g, "");
    expect(withoutPublic).not.toMatch(/127\.0\.0\.1/);
    expect(html).not.toContain("test-admin-token");
    expect(html).not.toMatch(/<script/);
    const again = await call("/", { headers: { "if-none-match": etag as string } });
    expect(again.status).toBe(304);
  });

  it("public JSON has ETag/304 and Cache-Control", async () => {
    const res = await call("/api/v1/status");
    const etag = res.headers.get("etag");
    expect(etag).toBeTruthy();
    expect(res.headers.get("cache-control")).toMatch(/max-age/);
    // Public outputs are computed as of a 15 s step: the same step gives the same body and ETag.
    const again = await call("/api/v1/status", { headers: { "if-none-match": etag as string } });
    if (again.status === 200)
      expect(again.headers.get("etag")).not.toBe(etag); // a step boundary passed
    else expect(again.status).toBe(304);
    expect((await call("/api/v1/status", { headers: { "if-none-match": '"nope"' } })).status).toBe(200);
  });
});

describe("badges, metrics, CORS", () => {
  it("serves status and uptime badges as SVG and shields.io endpoint JSON", async () => {
    await probeNow("weur", ["a-p2p"]);
    const status = await call("/api/v1/badges/a-p2p/status.svg");
    expect(status.status).toBe(200);
    expect(status.headers.get("content-type")).toMatch(/image\/svg\+xml/);
    const svg = await status.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain("Test a-p2p");
    expect(svg).toMatch(/>(up|degraded|down|unknown|maintenance)</);
    const uptime = await call("/api/v1/badges/a-p2p/uptime.svg?window=7d");
    expect(await uptime.text()).toContain("uptime 7d");
    expect((await call("/api/v1/badges/a-p2p/uptime.svg?window=1y")).status).toBe(400);
    expect((await call("/api/v1/badges/nope/status.svg")).status).toBe(404);
    const shields = (await (
      await call("/api/v1/badges/a-p2p/shields.json?type=uptime&window=24h")
    ).json()) as Record<string, unknown>;
    expect(shields).toMatchObject({ schemaVersion: 1, label: "uptime 24h" });
    expect(shields.message).toMatch(/%$|no data/);
    const st = (await (await call("/api/v1/badges/a-p2p/shields.json")).json()) as Record<string, unknown>;
    expect(st).toMatchObject({ schemaVersion: 1, label: "Test a-p2p" });
  });

  it("/metrics parses with the repo's Prometheus parser and carries state, latency, height and ratios", async () => {
    await probeNow("weur", ["a-rest", "a-p2p"]);
    // An hour of history for one monitor, so the ratios (computed as of the last 15 s step) have data.
    const at = Date.now() - 3_600_000;
    const transitions = [{ monitorId: "e-rpc", at, state: "up" as const }];
    await board().update({ shard: "metrics-test", at, monitors: [], transitions, incidents: [] });
    await flushBoard();
    const res = await call("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const parsed = parsePrometheusText(text);
    if (!parsed.ok) throw new Error(`${parsed.error.kind}: ${parsed.error.message}`);
    const names = new Set(parsed.value.samples.map((s) => s.name));
    expect(namingProblems(parsed.value, "chain_uptime_")).toEqual([]);
    for (const n of [
      "chain_uptime_monitor_info",
      "chain_uptime_monitor_state",
      "chain_uptime_probe_latency_seconds",
      "chain_uptime_height",
      "chain_uptime_height_lag_blocks",
      "chain_uptime_availability_ratio",
      "chain_uptime_monitoring_degraded",
    ]) {
      expect(names, n).toContain(n);
    }
    const state = parsed.value.samples.filter(
      (s) => s.name === "chain_uptime_monitor_state" && s.labels.id === "a-rest",
    );
    expect(state).toHaveLength(5);
    expect(state.filter((s) => s.value === 1)).toHaveLength(1);
    // Descriptive labels live on the info series only, so a renamed monitor keeps its series.
    expect(Object.keys(state[0]?.labels ?? {}).sort()).toEqual(["id", "state"]);
    const info = parsed.value.samples.filter(
      (s) => s.name === "chain_uptime_monitor_info" && s.labels.id === "a-rest",
    );
    expect(info).toEqual([
      expect.objectContaining({
        value: 1,
        labels: expect.objectContaining({
          id: "a-rest",
          name: "Test a-rest",
          chain: "casper",
          kind: "casper-rest",
        }),
      }),
    ]);
    const latency = parsed.value.samples.find(
      (s) => s.name === "chain_uptime_probe_latency_seconds" && s.labels.id === "a-rest",
    );
    expect(latency?.labels.region).toBe("weur");
    // Seconds, not milliseconds: a loopback probe answers well within a second.
    expect(latency?.value).toBeGreaterThan(0);
    expect(latency?.value).toBeLessThan(1);
    const ratio = parsed.value.samples.find(
      (s) =>
        s.name === "chain_uptime_availability_ratio" && s.labels.id === "e-rpc" && s.labels.window === "24h",
    );
    expect(ratio?.value).toBe(1);
    expect(text).not.toMatch(HOST_OR_PORT);
  });

  it("CORS on public reads only", async () => {
    for (const path of [
      "/api/v1/status",
      "/api/v1/monitors/a-rest",
      "/api/v1/badges/a-rest/status.svg",
      "/metrics",
    ]) {
      const res = await call(path, { headers: { origin: "https://example.org" } });
      expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
    }
    const pre = await call("/api/v1/incidents", {
      method: "OPTIONS",
      headers: { origin: "https://example.org", "access-control-request-method": "GET" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET,HEAD,OPTIONS");
    for (const path of ["/api/v1/alerts", "/api/v1/admin/silences", "/api/v1/agents"]) {
      const res = await call(path, { headers: { origin: "https://example.org", ...ADMIN } });
      expect(res.headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });
});

describe("admin: silences and incident notes", () => {
  it("requires the bearer token", async () => {
    const body = JSON.stringify({ monitors: ["a-rest"], until: new Date(Date.now() + 60_000).toISOString() });
    expect((await call("/api/v1/admin/silences/s1", { method: "PUT", body })).status).toBe(401);
    expect(
      (
        await call("/api/v1/admin/incidents/x/notes", {
          method: "POST",
          body: JSON.stringify({ text: "hi" }),
        })
      ).status,
    ).toBe(401);
  });

  it("a silence mutes the outbox for its monitors until removed; a bad one names the field", async () => {
    const bad = await call("/api/v1/admin/silences/s-bad", {
      method: "PUT",
      headers: ADMIN,
      body: JSON.stringify({ until: "tomorrow" }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("until");
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const put = await call("/api/v1/admin/silences/s-alert", {
      method: "PUT",
      headers: ADMIN,
      body: JSON.stringify({ monitors: ["alert-rest"], until, reason: "upgrade" }),
    });
    expect(put.status).toBe(201);
    const list = (await (await call("/api/v1/admin/silences", { headers: ADMIN })).json()) as {
      silences: { id: string }[];
    };
    expect(list.silences.map((s) => s.id)).toContain("s-alert");
    const outbox = env.ALERTS.getByName("outbox");
    const event = {
      id: `silence-test-${Date.now()}:down`,
      kind: "down" as const,
      severity: "critical" as const,
      at: new Date().toISOString(),
      title: "Test alert-rest is down",
      monitor: { id: "alert-rest", name: "Test alert-rest", chain: "casper", kind: "casper-rest", tags: {} },
      reasons: ["test"],
    };
    expect(await outbox.enqueue([event])).toEqual({ queued: 0 });
    expect((await call("/api/v1/admin/silences/s-alert", { method: "DELETE", headers: ADMIN })).status).toBe(
      204,
    );
    expect((await call("/api/v1/admin/silences/s-alert", { method: "DELETE", headers: ADMIN })).status).toBe(
      404,
    );
  });

  it("notes on an incident show in /api/v1/incidents, escaped on the page; unknown incidents 404", async () => {
    const openedAt = Date.now() - 60_000;
    const incident = {
      id: `a-rpc@${openedAt}`,
      monitorId: "a-rpc",
      state: "down" as const,
      openedAt,
      reasons: ["x"],
    };
    await board().update({
      shard: "notes-test",
      at: Date.now(),
      monitors: [],
      transitions: [],
      incidents: [incident],
    });
    const url = `/api/v1/admin/incidents/${encodeURIComponent(incident.id)}/notes`;
    const text = "Provider outage <b>upstream</b>";
    const res = await call(url, { method: "POST", headers: ADMIN, body: JSON.stringify({ text }) });
    expect(res.status).toBe(201);
    expect(
      (await call(url, { method: "POST", headers: ADMIN, body: JSON.stringify({ text: "" }) })).status,
    ).toBe(400);
    const missing = await call("/api/v1/admin/incidents/nope/notes", {
      method: "POST",
      headers: ADMIN,
      body: JSON.stringify({ text: "x" }),
    });
    expect(missing.status).toBe(404);
    const list = (await (await call("/api/v1/incidents?monitor=a-rpc")).json()) as {
      incidents: { id: string; notes: { text: string }[] }[];
    };
    expect(list.incidents.find((i) => i.id === incident.id)?.notes.map((n) => n.text)).toEqual([text]);
    await flushBoard(); // the page shows what the board published
    const page = await (await call("/")).text();
    expect(page).toContain("Provider outage &lt;b&gt;upstream&lt;/b&gt;");
  });
});
