import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { SlaReportSchema } from "../../src/core/sla/schema.ts";
import { flushBoard, probeNow, stateShard } from "./helpers.ts";

const KEY = "test-report-signing-key";

/** The Worker with the signing secret set (the shared test bindings don't carry it). */
async function call(path: string, init?: RequestInit) {
  const { default: worker } = await import("../../src/worker/index.ts");
  return worker.fetch(
    new Request(`http://uptime.test${path}`, init),
    { ...env, REPORT_SIGNING_KEY: KEY },
    createExecutionContext(),
  );
}

type Report = ReturnType<typeof SlaReportSchema.parse>;

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trimEnd().split("\r\n");
  const cols = (head as string).split(",");
  // The rows compared here carry no quoted cells (ids, numbers, booleans).
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
}

const asCell = (v: number | boolean | null) => (v === null ? "" : String(v));

describe("SLA reports over real probes", () => {
  let range: string;
  beforeAll(async () => {
    const from = Date.now() - 60_000;
    for (let i = 0; i < 3; i++) {
      await probeNow("weur", ["a-rest"]);
      await probeNow("enam", ["a-rest"]);
    }
    await flushBoard();
    range = `from=${from}&to=${Date.now() + 60_000}`;
  });

  it("JSON: signed, schema-valid, per region, with probe counts and latency from the rollups", async () => {
    const res = await call(`/api/v1/reports/sla?monitor=a-rest&${range}`);
    expect(res.status).toBe(200);
    const report = SlaReportSchema.parse(await res.json());
    expect(report.methodologyVersion).toBe("2");
    expect(report.unknownPolicy).toBe("exclude");
    expect(report.signature.alg).toBe("HMAC-SHA256");
    const m = report.monitors[0];
    expect(m?.id).toBe("a-rest");
    expect(m?.regions.map((r) => r.region)).toEqual(["enam", "weur"]);
    expect(m?.probes).toBeGreaterThanOrEqual(6);
    expect(m?.regions.every((r) => r.probes >= 3)).toBe(true);
    expect(m?.latencyMs.p50).not.toBeNull();
    expect(m?.upSec).toBeGreaterThan(0);
    expect(m?.observedFrom).not.toBeNull();
    // The state object's open rollup bucket answered; no bucket has closed yet.
    const stats = await stateShard().stats();
    expect(stats.rollupRowsWritten).toBeGreaterThanOrEqual(0);
  });

  it("CSV: one table with summary, region, monitor, monitor_region rows", async () => {
    const res = await call(`/api/v1/reports/sla?monitor=a-rest&${range}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parseCsv(await res.text());
    expect(rows.map((r) => `${r.record}:${r.monitor}:${r.region}`).slice(0, 6)).toEqual([
      "summary:*:*",
      "region:*:enam",
      "region:*:weur",
      "monitor:a-rest:*",
      "monitor_region:a-rest:enam",
      "monitor_region:a-rest:weur",
    ]);
    expect(rows[0]).toMatchObject({ unknown_policy: "exclude", methodology_version: "2", tz: "UTC" });
    expect(rows[0]?.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it("CSV and JSON of one report agree cell for cell (fixed past period)", async () => {
    // A closed period gives identical numbers on both calls.
    const to = Date.now() - 1_000;
    const q = `monitor=a-rest&from=${to - 3_600_000}&to=${to}`;
    const json = (await (await call(`/api/v1/reports/sla?${q}`)).json()) as Report;
    const rows = parseCsv(await (await call(`/api/v1/reports/sla?${q}&format=csv`)).text());
    const m = json.monitors[0] as Report["monitors"][number];
    const mrow = rows.find((r) => r.record === "monitor");
    expect(mrow).toMatchObject({
      monitor: "a-rest",
      up_sec: asCell(m.upSec),
      degraded_sec: asCell(m.degradedSec),
      down_sec: asCell(m.downSec),
      unknown_sec: asCell(m.unknownSec),
      availability_percent: asCell(m.availabilityPercent),
      sla_target_percent: asCell(m.slaTargetPercent),
      probes: asCell(m.probes),
      incidents: asCell(m.incidents),
    });
    for (const r of m.regions) {
      const row = rows.find((x) => x.record === "monitor_region" && x.region === r.region);
      expect(row).toMatchObject({
        up_sec: asCell(r.upSec),
        down_sec: asCell(r.downSec),
        availability_percent: asCell(r.availabilityPercent),
        probes: asCell(r.probes),
        p95_ms: asCell(r.latencyMs.p95),
      });
    }
  });

  it("verification: the report as served passes, a tampered one fails", async () => {
    const report = (await (await call(`/api/v1/reports/sla?monitor=a-rest&${range}`)).json()) as Report;
    const verify = async (body: unknown) =>
      (await (
        await call("/api/v1/reports/verify", { method: "POST", body: JSON.stringify(body) })
      ).json()) as { valid: boolean; reason?: string };
    expect(await verify(report)).toEqual({ valid: true });
    const tampered = structuredClone(report);
    tampered.summary.downSec += 60;
    expect(await verify(tampered)).toEqual({ valid: false, reason: "signature does not match the report" });
    const policy = { ...report, unknownPolicy: "up" };
    expect((await verify(policy)).valid).toBe(false);
  });

  it("HTML: printable, inline SVG chart, no scripts", async () => {
    const res = await call(`/api/v1/reports/sla?monitor=a-rest&${range}&format=html`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<svg");
    expect(html).toContain("@media print");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("400s name the bad parameters", async () => {
    const bad = async (q: string) => {
      const res = await call(`/api/v1/reports/sla?${q}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { issues: { parameter: string }[] };
      return body.issues.map((i) => i.parameter).sort();
    };
    expect(await bad("monitor=a-rest&month=2026-13")).toEqual(["month"]);
    expect(await bad("monitor=a-rest&month=2026-03&tz=Mars/Olympus")).toEqual(["tz"]);
    expect(await bad("month=2026-03")).toEqual(["monitor", "operator", "tag"]);
    expect(await bad("monitor=a-rest&operator=x&month=2026-03")).toEqual(["monitor", "operator"]);
    expect(await bad("monitor=a-rest&from=2026-03-01")).toEqual(["to"]);
    expect(await bad("monitor=a-rest&from=2026-03-05&to=2026-03-01")).toEqual(["to"]);
    expect(await bad("monitor=a-rest&month=2026-03&unknown=maybe&format=pdf")).toEqual(["format", "unknown"]);
    expect(await bad("tag=nocolon&month=2026-03")).toEqual(["tag"]);
    const res = await call("/api/v1/reports/sla?monitor=nope&month=2026-03");
    expect(res.status).toBe(404);
  });
});
