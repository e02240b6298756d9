import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addValue, emptySketch } from "../../src/core/sketch.ts";
import { computeSla } from "../../src/core/sla/compute.ts";
import { reportCsv, reportHtml } from "../../src/core/sla/format.ts";
import { SlaReportSchema } from "../../src/core/sla/schema.ts";
import { canonicalJson, signReport, verifyReport } from "../../src/core/sla/sign.ts";

const T = (s: string) => Date.parse(s);
const KEY = "k3y";

async function sample() {
  const sketch = emptySketch();
  for (const v of [80, 90, 100, 110, 2000]) addValue(sketch, v);
  const body = computeSla(
    {
      from: T("2026-02-01T00:00:00Z"),
      to: T("2026-03-01T00:00:00Z"),
      tz: "UTC",
      month: "2026-02",
      policy: "down",
      scope: { operator: "acme, inc." },
      generatedAt: T("2026-03-01T00:05:00Z"),
    },
    [
      {
        id: "m",
        name: 'Main, "quoted"',
        slaTarget: 99.5,
        overall: [
          { at: T("2026-01-01T00:00:00Z"), state: "up" },
          { at: T("2026-02-10T00:00:00Z"), state: "unknown" },
          { at: T("2026-02-10T02:00:00Z"), state: "up" },
        ],
        regions: { weur: [{ at: T("2026-01-01T00:00:00Z"), state: "up" }] },
        maintenance: [],
        windows: [],
        incidents: [],
        latency: { overall: { probes: 5, sketch }, regions: { weur: { probes: 5, sketch } } },
      },
    ],
  );
  return signReport(body, KEY);
}

describe("signed reports", () => {
  it("canonical JSON sorts keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[2,{"e":null,"f":1}]},"b":1}',
    );
  });

  it("verifies as signed, in any key order; fails when tampered or under another key", async () => {
    const report = await sample();
    expect(SlaReportSchema.parse(report)).toBeTruthy();
    expect(await verifyReport(JSON.parse(JSON.stringify(report)), KEY)).toEqual({ valid: true });
    const reordered = Object.fromEntries(Object.entries(report).reverse());
    expect((await verifyReport(reordered, KEY)).valid).toBe(true);
    const tampered = structuredClone(report);
    (tampered.monitors[0] as { availabilityPercent: number | null }).availabilityPercent = 100;
    expect((await verifyReport(tampered, KEY)).valid).toBe(false);
    expect((await verifyReport(report, "other")).valid).toBe(false);
    expect((await verifyReport({ ...report, signature: undefined }, KEY)).reason).toBe("no signature");
  });

  it("unknown counted as down under that policy: 2 h of 672 h", async () => {
    const r = await sample();
    // (672 h − 2 h) / 672 h = 99.702380… % → 99.7024, target 99.5 met.
    expect(r.summary.availabilityPercent).toBe(99.7024);
    expect(r.summary.unknownSec).toBe(7200);
    expect(r.summary.targetMet).toBe(true);
    expect(r.unknownPolicy).toBe("down");
  });

  it("CSV carries the JSON numbers verbatim; HTML escapes and has no scripts", async () => {
    const r = await sample();
    const csv = reportCsv(r);
    const [head, summary] = csv.split("\r\n");
    const cols = (head as string).split(",");
    const row = Object.fromEntries((summary as string).split(",").map((v, i) => [cols[i], v]));
    expect(row).toMatchObject({
      record: "summary",
      up_sec: String(r.summary.upSec),
      unknown_sec: "7200",
      availability_percent: "99.7024",
      target_met: "true",
      probes: "5",
      p50_ms: String(r.summary.latencyMs.p50),
      p99_ms: String(r.summary.latencyMs.p99),
      unknown_policy: "down",
      signature: r.signature.value,
    });
    const html = reportHtml(r);
    expect(html).toContain("operator acme, inc.");
    expect(html).toContain("<svg");
    expect(html).not.toContain("<script");
  });

  it("npm run verify-report: exit 0 for a good report, 1 for a tampered one", async () => {
    const r = await sample();
    const dir = mkdtempSync(join(tmpdir(), "sla-"));
    const good = join(dir, "good.json");
    const bad = join(dir, "bad.json");
    writeFileSync(good, JSON.stringify(r, null, 2));
    writeFileSync(bad, JSON.stringify({ ...r, unknownPolicy: "up" }));
    const cli = join(import.meta.dirname, "..", "..", "src", "cli", "verify-report.ts");
    const run = (file: string) => {
      try {
        execFileSync(process.execPath, [cli, file], {
          env: { ...process.env, REPORT_SIGNING_KEY: KEY },
          stdio: "pipe",
        });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    expect(run(good)).toBe(0);
    expect(run(bad)).toBe(1);
  });
});
