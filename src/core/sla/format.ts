import type {
  Durations,
  LatencyPercentiles,
  MonitorReport,
  RegionRow,
  SlaReportBody,
  Summary,
} from "./schema.ts";
import type { SignedSlaReport } from "./sign.ts";

/** CSV columns; every number is written exactly as the JSON has it, so the two always agree. */
export const CSV_COLUMNS = [
  "record",
  "monitor",
  "region",
  "from",
  "to",
  "up_sec",
  "degraded_sec",
  "down_sec",
  "unknown_sec",
  "maintenance_sec",
  "availability_percent",
  "sla_target_percent",
  "target_met",
  "probes",
  "p50_ms",
  "p95_ms",
  "p99_ms",
  "incidents",
  "mttr_sec",
  "id",
  "state",
  "duration_sec",
  "in_period_sec",
  "in_maintenance_sec",
  "tz",
  "unknown_policy",
  "methodology_version",
  "signature",
  "active_percent",
  "node_availability_percent",
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>>;

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const durationCells = (d: Durations): Row => ({
  up_sec: d.upSec,
  degraded_sec: d.degradedSec,
  down_sec: d.downSec,
  unknown_sec: d.unknownSec,
  maintenance_sec: d.maintenanceSec,
});

const latencyCells = (l: LatencyPercentiles): Row => ({ p50_ms: l.p50, p95_ms: l.p95, p99_ms: l.p99 });

const summaryCells = (s: Summary): Row => ({
  ...durationCells(s),
  availability_percent: s.availabilityPercent,
  sla_target_percent: s.slaTargetPercent,
  target_met: s.targetMet,
  probes: s.probes,
  ...latencyCells(s.latencyMs),
  incidents: s.incidents,
  mttr_sec: s.mttrSec,
});

const regionCells = (r: RegionRow): Row => ({
  region: r.region,
  ...durationCells(r),
  availability_percent: r.availabilityPercent,
  probes: r.probes,
  ...latencyCells(r.latencyMs),
});

/**
 * One table: a `summary` row (all monitors in scope), `region` rows (all monitors, per vantage),
 * `monitor` and `monitor_region` rows, `validator` rows (id = the key, state = the chain), then
 * `incident` and `maintenance` rows. `*` means all.
 */
export function reportCsv(report: SlaReportBody | SignedSlaReport): string {
  const { from, to } = report.period;
  const rows: Row[] = [
    {
      record: "summary",
      monitor: "*",
      region: "*",
      from,
      to,
      ...summaryCells(report.summary),
      tz: report.period.tz,
      unknown_policy: report.unknownPolicy,
      methodology_version: report.methodologyVersion,
      signature: "signature" in report ? report.signature.value : null,
    },
    ...report.regions.map((r) => ({ record: "region", monitor: "*", from, to, ...regionCells(r) })),
  ];
  for (const m of report.monitors as MonitorReport[]) {
    rows.push({ record: "monitor", monitor: m.id, region: "*", from, to, ...summaryCells(m) });
    for (const r of m.regions)
      rows.push({ record: "monitor_region", monitor: m.id, from, to, ...regionCells(r) });
  }
  for (const v of report.validators) {
    rows.push({
      record: "validator",
      monitor: v.monitorId,
      from,
      to,
      id: v.key,
      state: v.chain,
      ...durationCells(v),
      active_percent: v.activePercent,
      node_availability_percent: v.nodeAvailabilityPercent,
    });
  }
  for (const i of report.incidents) {
    rows.push({
      record: "incident",
      monitor: i.monitorId,
      from: i.openedAt,
      to: i.closedAt,
      id: i.id,
      state: i.state,
      duration_sec: i.durationSec,
      in_period_sec: i.inPeriodSec,
      in_maintenance_sec: i.inMaintenanceSec,
    });
  }
  for (const w of report.maintenance) {
    rows.push({
      record: "maintenance",
      monitor: w.monitorId,
      from: w.start,
      to: w.end,
      id: w.id,
      state: w.title,
      in_period_sec: w.inPeriodSec,
    });
  }
  const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const pct = (v: number | null) => (v === null ? "—" : `${v.toFixed(4)} %`);
const num = (v: number | null) => (v === null ? "—" : String(v));
const hours = (s: number) => `${(s / 3600).toFixed(2)} h`;

/** Horizontal bars, one per monitor and region, scaled from `floor` % to 100 %, with target marks. */
export function availabilitySvg(report: SlaReportBody): string {
  const bars: { label: string; value: number | null; target: number | null }[] = [
    {
      label: "all monitors",
      value: report.summary.availabilityPercent,
      target: report.summary.slaTargetPercent,
    },
    ...report.monitors.map((m) => ({
      label: m.id,
      value: m.availabilityPercent,
      target: m.slaTargetPercent,
    })),
    ...report.regions.map((r) => ({
      label: `region ${r.region}`,
      value: r.availabilityPercent,
      target: null,
    })),
  ];
  const values = bars.flatMap((b) => [b.value, b.target]).filter((v): v is number => v !== null);
  const floor = Math.max(0, Math.floor(Math.min(100, ...values) - 1));
  const width = 640;
  const left = 170;
  const rowH = 22;
  const height = bars.length * rowH + 30;
  const x = (v: number) => left + ((v - floor) / (100 - floor || 1)) * (width - left - 70);
  const parts = bars.map((b, i) => {
    const y = 10 + i * rowH;
    const w = b.value === null ? 0 : Math.max(1, x(b.value) - left);
    const met = b.target === null || b.value === null || b.value >= b.target;
    const mark =
      b.target === null
        ? ""
        : `<line x1="${x(b.target).toFixed(1)}" y1="${y - 2}" x2="${x(b.target).toFixed(1)}" y2="${y + 16}" stroke="#000" stroke-dasharray="3,2"/>`;
    return (
      `<text x="${left - 6}" y="${y + 12}" text-anchor="end" font-size="11">${esc(b.label)}</text>` +
      `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="14" fill="${met ? "#2e7d32" : "#c62828"}"/>` +
      `<text x="${(left + w + 4).toFixed(1)}" y="${y + 12}" font-size="11">${esc(pct(b.value))}</text>${mark}`
    );
  });
  const axis = `<text x="${left}" y="${height - 4}" font-size="10">${floor} %</text><text x="${x(100)}" y="${height - 4}" font-size="10" text-anchor="end">100 %</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Availability by monitor and region" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}${axis}</svg>`;
}

/** A printable page; no scripts, no external resources. */
export function reportHtml(report: SlaReportBody | SignedSlaReport): string {
  const s = report.summary;
  const scope =
    report.scope.monitor ??
    (report.scope.tag ? `tag ${report.scope.tag}` : `operator ${report.scope.operator}`);
  const regionRows = (rows: RegionRow[]) =>
    rows
      .map(
        (r) =>
          `<tr><td>${esc(r.region)}</td><td>${pct(r.availabilityPercent)}</td><td>${hours(r.downSec)}</td><td>${hours(r.degradedSec)}</td><td>${hours(r.unknownSec)}</td><td>${hours(r.maintenanceSec)}</td><td>${r.probes}</td><td>${num(r.latencyMs.p50)} / ${num(r.latencyMs.p95)} / ${num(r.latencyMs.p99)}</td></tr>`,
      )
      .join("");
  const monitorRows = report.monitors
    .map(
      (m) =>
        `<tr><td>${esc(m.id)}</td><td>${pct(m.availabilityPercent)}</td><td>${num(m.slaTargetPercent)} %</td><td>${m.targetMet === null ? "no data" : m.targetMet ? "met" : "<strong>missed</strong>"}</td><td>${hours(m.downSec)}</td><td>${hours(m.unknownSec)}</td><td>${hours(m.maintenanceSec)}</td><td>${m.incidents}</td><td>${m.mttrSec === null ? "—" : `${m.mttrSec} s`}</td><td>${m.observedFrom ?? "—"}</td></tr>`,
    )
    .join("");
  const validatorRows = report.validators
    .map(
      (v) =>
        `<tr><td>${esc(v.name ?? v.monitorId)}</td><td>${esc(v.chain)}</td><td><code>${esc(v.key)}</code></td><td>${pct(v.activePercent)}</td><td>${hours(v.degradedSec)}</td><td>${hours(v.downSec)}</td><td>${hours(v.unknownSec)}</td><td>${pct(v.nodeAvailabilityPercent)}${v.nodeMonitors.length ? ` (${v.nodeMonitors.map(esc).join(", ")})` : ""}</td></tr>`,
    )
    .join("");
  const incidentRows = report.incidents
    .map(
      (i) =>
        `<tr><td>${esc(i.monitorId)}</td><td>${i.state}</td><td>${i.openedAt}</td><td>${i.closedAt ?? "open"}</td><td>${i.durationSec === null ? "—" : `${i.durationSec} s`}</td><td>${i.inMaintenanceSec} s</td><td>${esc(i.reasons.join("; "))}</td></tr>`,
    )
    .join("");
  const maintenanceRows = report.maintenance
    .map(
      (w) =>
        `<tr><td>${esc(w.monitorId)}</td><td>${esc(w.title ?? w.id)}</td><td>${w.start}</td><td>${w.end}</td><td>${w.inPeriodSec} s</td></tr>`,
    )
    .join("");
  const signature = "signature" in report ? `${report.signature.alg} ${report.signature.value}` : "unsigned";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SLA report: ${esc(scope ?? "")}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:3px 8px;text-align:left}
th{background:#eee}h1{font-size:20px}h2{font-size:16px;margin-top:1.5em}.meta{color:#444}
@media print{body{margin:0}h2{break-after:avoid}table{break-inside:avoid}}
</style></head><body>
<h1>SLA report: ${esc(scope ?? "")}</h1>
<p class="meta">Period ${report.period.from} – ${report.period.to} (${esc(report.period.tz)}${report.period.month ? `, month ${report.period.month}` : ""}).
Unknown time policy: <strong>${report.unknownPolicy}</strong>. Methodology version ${report.methodologyVersion}. Generated ${report.generatedAt}.</p>
<p><strong>Availability ${pct(s.availabilityPercent)}</strong>${s.slaTargetPercent === null ? "" : ` against a target of ${s.slaTargetPercent} %`}: target ${s.targetMet === null ? "not measurable" : s.targetMet ? "met" : "missed"}.
Down ${hours(s.downSec)}, unknown ${hours(s.unknownSec)}, maintenance (excluded) ${hours(s.maintenanceSec)}. ${s.incidents} incidents, MTTR ${s.mttrSec === null ? "—" : `${s.mttrSec} s`}.
Latency p50/p95/p99: ${num(s.latencyMs.p50)} / ${num(s.latencyMs.p95)} / ${num(s.latencyMs.p99)} ms over ${s.probes} probes.</p>
${availabilitySvg(report)}
<h2>Monitors</h2>
<table><tr><th>Monitor</th><th>Availability</th><th>Target</th><th>SLA</th><th>Down</th><th>Unknown</th><th>Maintenance</th><th>Incidents</th><th>MTTR</th><th>Observed from</th></tr>${monitorRows}</table>
${
  validatorRows
    ? `<h2>Validators</h2>
<p class="meta">Active and producing: the time the key was in the validator set and doing its job (warnings such as CannotPropose or an eviction ahead count against it), beside the availability of the nodes that serve it.</p>
<table><tr><th>Validator</th><th>Chain</th><th>Key</th><th>Active and producing</th><th>Impaired</th><th>Out</th><th>Unknown</th><th>Its nodes' availability</th></tr>${validatorRows}</table>`
    : ""
}
<h2>Regions</h2>
<table><tr><th>Region</th><th>Availability</th><th>Down</th><th>Degraded</th><th>Unknown</th><th>Maintenance</th><th>Probes</th><th>Latency p50/p95/p99 ms</th></tr>${regionRows(report.regions)}</table>
<h2>Incidents</h2>
${incidentRows ? `<table><tr><th>Monitor</th><th>State</th><th>Opened</th><th>Closed</th><th>Duration</th><th>In maintenance</th><th>Reasons</th></tr>${incidentRows}</table>` : "<p>None.</p>"}
<h2>Maintenance (excluded from the denominator)</h2>
${maintenanceRows ? `<table><tr><th>Monitor</th><th>Window</th><th>Start</th><th>End</th><th>In period</th></tr>${maintenanceRows}</table>` : "<p>None.</p>"}
<p class="meta">Signature: ${esc(signature)}</p>
</body></html>
`;
}
