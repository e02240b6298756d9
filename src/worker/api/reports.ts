import { Hono } from "hono";
import { z } from "zod";
import type { Monitor } from "../../core/config/schema.ts";
import { isValidTimeZone } from "../../core/maintenance/tz.ts";
import { computeSla } from "../../core/sla/compute.ts";
import { reportCsv, reportHtml } from "../../core/sla/format.ts";
import { monthPeriod, parseBound } from "../../core/sla/period.ts";
import { signReport, verifyReport } from "../../core/sla/sign.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { gatherSlaInputs } from "../reports/gather.ts";
import { BadRequest, type ParamIssue, parseParams } from "./validate.ts";

export const reportRoutes = new Hono<{ Bindings: Env }>();

const Query = z.object({
  monitor: z.string().min(1).max(63).optional(),
  tag: z
    .string()
    .regex(/^[^:]+:.+$/, "expected key:value")
    .optional(),
  operator: z.string().min(1).max(100).optional(),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected YYYY-MM")
    .optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  tz: z.string().refine(isValidTimeZone, "expected an IANA time zone such as Europe/Berlin").default("UTC"),
  unknown: z.enum(["exclude", "down", "up"]).default("exclude"),
  format: z.enum(["json", "csv", "html"]).default("json"),
});
type Query = z.infer<typeof Query>;

/** Cross-parameter rules, every bad parameter named. */
function resolve(q: Query): { from: number; to: number } {
  const issues: ParamIssue[] = [];
  const scopes = [q.monitor, q.tag, q.operator].filter((v) => v !== undefined).length;
  if (scopes !== 1) {
    for (const p of ["monitor", "tag", "operator"] as const) {
      if (scopes === 0 || q[p] !== undefined)
        issues.push({ parameter: p, message: "give exactly one of monitor, tag, operator" });
    }
  }
  let period: { from: number; to: number } | undefined;
  if (q.month !== undefined) {
    if (q.from !== undefined || q.to !== undefined) {
      issues.push({ parameter: "month", message: "give month or from/to, not both" });
    } else period = monthPeriod(q.month, q.tz);
  } else if (q.from === undefined || q.to === undefined) {
    for (const p of ["from", "to"] as const) {
      if (q[p] === undefined)
        issues.push({
          parameter: p,
          message: "required unless month is given (YYYY-MM-DD, RFC 3339 or unix ms)",
        });
    }
  } else {
    const from = parseBound(q.from, q.tz);
    const to = parseBound(q.to, q.tz);
    if (from === undefined)
      issues.push({ parameter: "from", message: "expected YYYY-MM-DD, RFC 3339 or unix ms" });
    if (to === undefined)
      issues.push({ parameter: "to", message: "expected YYYY-MM-DD, RFC 3339 or unix ms" });
    if (from !== undefined && to !== undefined) {
      if (to <= from) issues.push({ parameter: "to", message: "must be after from" });
      else if (to - from > 400 * 86_400_000)
        issues.push({ parameter: "to", message: "at most 400 days after from" });
      else period = { from, to };
    }
  }
  if (issues.length || !period) throw new BadRequest(issues);
  return period;
}

function inScope(m: Monitor, q: Query): boolean {
  if (q.monitor !== undefined) return m.id === q.monitor;
  if (q.operator !== undefined) return m.tags.operator === q.operator;
  const [key, ...rest] = (q.tag as string).split(":");
  return (m.tags as Record<string, string | undefined>)[key as string] === rest.join(":");
}

reportRoutes.get("/reports/sla", async (c) => {
  const q = parseParams(Query, c.req.query());
  const requested = resolve(q);
  const key = c.env.REPORT_SIGNING_KEY;
  if (!key) {
    return c.json(
      { error: "signing_unavailable", message: "reports are signed: set the REPORT_SIGNING_KEY secret" },
      503,
    );
  }
  const config = loadConfig(c.env);
  const monitors = config.monitors.filter((m) => inScope(m, q));
  if (monitors.length === 0) {
    const parameter = q.monitor !== undefined ? "monitor" : q.tag !== undefined ? "tag" : "operator";
    return c.json({ error: "not_found", message: `no monitor matches ${parameter}` }, 404);
  }
  const now = Date.now();
  // A period reaching into the future ends now: time not yet lived is not counted as anything.
  const to = Math.min(requested.to, now);
  const from = Math.min(requested.from, to);
  const inputs = await gatherSlaInputs(c.env, config, monitors, from, to);
  const body = computeSla(
    {
      from,
      to,
      tz: q.tz,
      month: q.month,
      policy: q.unknown,
      scope: { monitor: q.monitor, tag: q.tag, operator: q.operator },
      generatedAt: now,
    },
    inputs,
  );
  const report = await signReport(body, key);
  const name = `sla-${q.monitor ?? q.operator ?? (q.tag as string).replace(":", "-")}-${q.month ?? `${body.period.from.slice(0, 10)}_${body.period.to.slice(0, 10)}`}`;
  c.header("Cache-Control", "no-store");
  if (q.format === "csv") {
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${name.replace(/[^\w.-]/g, "_")}.csv"`);
    return c.body(reportCsv(report));
  }
  if (q.format === "html") {
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return c.html(reportHtml(report));
  }
  return c.json(report);
});

reportRoutes.post("/reports/verify", async (c) => {
  const key = c.env.REPORT_SIGNING_KEY;
  if (!key) {
    return c.json({ error: "signing_unavailable", message: "set the REPORT_SIGNING_KEY secret" }, 503);
  }
  let report: unknown;
  try {
    report = await c.req.json();
  } catch {
    throw new BadRequest([{ parameter: "body", message: "expected the report as JSON" }]);
  }
  const r = await verifyReport(report, key);
  return c.json(r.valid ? { valid: true } : { valid: false, reason: r.reason });
});
