import type { PublicMonitor } from "../../core/public.ts";
import type { Transition } from "../../core/uptime.ts";
import type { PlannedMaintenance } from "../api/maintenance.ts";
import { barLevel, type DayBar, dailyBars } from "./bars.ts";
import { esc } from "./html.ts";
import { type LatencyPoint, latencySvg } from "./latency-chart.ts";

export interface PageNote {
  at: string;
  text: string;
}

export interface PageIncident {
  id: string;
  monitorId: string;
  monitorName: string;
  state: "down" | "degraded";
  openedAt: string;
  closedAt: string | null;
  reasons: string[];
  notes: PageNote[];
}

export interface PageMonitor {
  monitor: PublicMonitor;
  operator: string | null;
  timeline: readonly Transition[] | undefined;
  latency: readonly LatencyPoint[];
}

export interface PageModel {
  now: number;
  generatedAt: string;
  monitoring: { state: "ok" | "degraded"; since: string | null; problems: string[] };
  maintenance: PlannedMaintenance[];
  monitors: PageMonitor[];
  incidents: PageIncident[];
  names: Map<string, string>;
}

const pct = (v: number | null) =>
  v === null ? "no data" : `${(Math.floor(v * 100_000) / 1000).toFixed(3)}%`;
const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1f2328}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.banner{padding:10px 14px;border-radius:6px;margin:8px 0}
.banner.maintenance{background:#e0ecff;border:1px solid #6b9ef0}
.banner.degraded{background:#fff4d6;border:1px solid #e0a800}
.group{background:#fff;border:1px solid #d8dde3;border-radius:8px;margin:12px 0;padding:4px 14px}
.monitor{border-top:1px solid #eef0f2;padding:10px 0}.monitor:first-of-type{border-top:0}
.head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.name{font-weight:600}.muted{color:#667085;font-size:.85rem}
.state{font-weight:600;padding:1px 8px;border-radius:10px;font-size:.8rem;text-transform:uppercase}
.state-up{background:#d1fadf;color:#05603a}.state-degraded{background:#fef0c7;color:#93370d}
.state-down{background:#fee4e2;color:#912018}.state-unknown{background:#eaecf0;color:#344054}
.state-maintenance{background:#d1e0ff;color:#2a4ea0}
.bars{display:flex;gap:1px;height:28px;margin:6px 0 2px}
.bar{flex:1;border-radius:1px;min-width:2px}
.bar-ok{background:#3fb950}.bar-minor{background:#e3b341}.bar-major{background:#e5534b}
.bar-none{background:#d0d7de}.bar-maintenance{background:#6b9ef0}
.axis{display:flex;justify-content:space-between;color:#667085;font-size:.75rem}
ul.reasons{margin:4px 0 0 18px;padding:0;font-size:.85rem}
details{margin-top:4px}summary{cursor:pointer;font-size:.85rem;color:#475467}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.legends{font-size:.75rem;color:#475467}
.incident{background:#fff;border:1px solid #d8dde3;border-radius:8px;margin:8px 0;padding:8px 14px}
.note{border-left:3px solid #6b9ef0;padding-left:8px;margin:4px 0;font-size:.9rem}
footer{color:#667085;font-size:.8rem;margin:24px 0}
.summary{font-size:1.1rem;font-weight:600;padding:10px 14px;border-radius:8px}
ul.rows{list-style:none;margin:4px 0;padding:0}.row{padding:3px 0;border-top:1px solid #eef0f2}
a.name{color:inherit;text-decoration:none}a.name:hover{text-decoration:underline}
`;

function barsHtml(bars: readonly DayBar[]): string {
  return bars
    .map((b) => {
      const level = barLevel(b);
      return `<div class="bar bar-${level}" data-day="${esc(b.day)}" data-level="${level}" title="${esc(`${b.day}: ${pct(b.availability)}`)}"></div>`;
    })
    .join("");
}

/** A group's day: the mean availability of the monitors observed that day, maintenance if only that. */
function groupBars(list: readonly PageMonitor[], now: number): DayBar[] {
  const per = list.map((pm) => dailyBars(pm.timeline, now, 90));
  return (per[0] ?? dailyBars(undefined, now, 90)).map((first, i) => {
    const days = per.map((bars) => bars[i] ?? first);
    const seen = days.filter((d) => d.availability !== null).map((d) => d.availability as number);
    return {
      day: first.day,
      availability: seen.length ? seen.reduce((a, b) => a + b, 0) / seen.length : null,
      downMs: days.reduce((n, d) => n + d.downMs, 0),
      maintenanceMs: days.reduce((n, d) => n + d.maintenanceMs, 0),
    };
  });
}

/** One line per monitor for large fleets: name (to its own page), state, why, 30-day uptime. */
function monitorRow(pm: PageMonitor): string {
  const m = pm.monitor;
  const why =
    m.state === "up" || m.reasons.length === 0
      ? ""
      : ` <span class="muted">${esc(m.reasons.join("; "))}</span>`;
  return `<li class="row" data-monitor="${esc(m.id)}" data-state="${esc(m.state)}"><a href="/monitors/${encodeURIComponent(m.id)}">${esc(m.name)}</a> <span class="state state-${esc(m.state)}">${esc(m.state)}</span> <span class="muted">${esc(pct(m.uptime["30d"]))}</span>${why}</li>`;
}

export function monitorBlock(pm: PageMonitor, now: number): string {
  const m = pm.monitor;
  const barHtml = barsHtml(dailyBars(pm.timeline, now, 90));
  const reasons = m.reasons.length
    ? `<ul class="reasons">${m.reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>`
    : "";
  const target = m.target ? `<span class="muted">${esc(m.target)}</span>` : "";
  const vantages = m.vantages
    .map(
      (v) =>
        `${esc(v.region)}: ${esc(v.state)}${v.latencyMs !== undefined ? ` ${Math.round(v.latencyMs)} ms` : ""}`,
    )
    .join(" · ");
  const to = now;
  const from = now - DAY;
  return `<section class="monitor" id="m-${esc(m.id)}" data-monitor="${esc(m.id)}" data-state="${esc(m.state)}">
<div class="head"><a class="name" href="/monitors/${encodeURIComponent(m.id)}">${esc(m.name)}</a><span class="state state-${esc(m.state)}">${esc(m.state)}</span>
<span class="muted">${m.since ? `since ${esc(when(m.since))}` : ""}</span>${target}
<span class="muted uptime">30 days: ${esc(pct(m.uptime["30d"]))}</span></div>
${reasons}
<div class="bars" aria-label="${esc(`90-day uptime of ${m.name}, UTC days`)}">${barHtml}</div>
<div class="axis"><span>90 days ago</span><span>today (UTC)</span></div>
<details><summary>Latency per region, last 24 hours${vantages ? ` — ${vantages}` : ""}</summary>${latencySvg(pm.latency, from, to)}</details>
</section>`;
}

const DAY = 86_400_000;

/**
 * Up to this many monitors, the page shows each with its 90-day bars and latency chart; beyond it,
 * one line per monitor under its group's bars (each links to its own page), so the page stays
 * small at any fleet size (about 200 bytes a monitor).
 */
export const DETAILED_UP_TO = 30;

const COUNTED: PublicMonitor["state"][] = ["down", "degraded", "unknown", "maintenance", "up"];

/** "All systems operational", or how many are down, degraded, … */
export function summaryOf(monitors: readonly PublicMonitor[]): {
  text: string;
  worst: PublicMonitor["state"];
} {
  const count = (s: PublicMonitor["state"]) => monitors.filter((m) => m.state === s).length;
  const bad = COUNTED.filter((s) => s !== "up" && count(s) > 0);
  if (monitors.length > 0 && bad.length === 0) return { text: "All systems operational", worst: "up" };
  const parts = bad.map((s) => `${count(s)} ${s}`);
  return {
    text:
      monitors.length === 0 ? "No monitors configured" : `${parts.join(", ")} of ${monitors.length} monitors`,
    worst: bad[0] ?? "unknown",
  };
}

/** One line per monitor, problems first, in a list that starts open when it holds a problem. */
function rowList(title: string, list: readonly PageMonitor[]): string {
  const { text, worst } = summaryOf(list.map((pm) => pm.monitor));
  const ordered = [...list].sort(
    (a, b) => COUNTED.indexOf(a.monitor.state) - COUNTED.indexOf(b.monitor.state),
  );
  return `<details class="operator"${worst === "up" ? "" : " open"}><summary><strong>${esc(title)}</strong> — <span class="state-${esc(worst)}">${esc(text)}</span></summary><ul class="rows">${ordered.map(monitorRow).join("")}</ul></details>`;
}

/**
 * A large fleet: per chain, the chain's 90-day bars (mean availability of its monitors) and a
 * collapsible list per operator; each monitor's own bars and chart are on its page.
 */
function compactChain(chain: string, list: readonly PageMonitor[], now: number): string {
  const byOperator = new Map<string, PageMonitor[]>();
  for (const pm of list)
    byOperator.set(pm.operator ?? "", [...(byOperator.get(pm.operator ?? "") ?? []), pm]);
  const operators = [...byOperator.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operator, members]) => rowList(operator || "no operator", members))
    .join("");
  return `<section class="group" data-chain="${esc(chain)}"><h2>${esc(chain)}</h2><div class="bars" aria-label="${esc(`90-day availability of ${chain}, UTC days`)}">${barsHtml(groupBars(list, now))}</div>
<div class="axis"><span>90 days ago</span><span>today (UTC)</span></div>${operators}</section>`;
}

function detailedGroups(model: PageModel): string {
  const groups = new Map<string, PageMonitor[]>();
  for (const pm of model.monitors) {
    const key = `${pm.monitor.chain}\u0000${pm.operator ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), pm]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => {
      const [chain = "", operator = ""] = key.split("\u0000");
      const title = `${chain}${operator ? ` · ${operator}` : ""}`;
      return `<section class="group" data-chain="${esc(chain)}" data-operator="${esc(operator)}"><h2>${esc(title)}</h2>${list.map((pm) => monitorBlock(pm, model.now)).join("")}</section>`;
    })
    .join("");
}

function compactGroups(model: PageModel): string {
  const chains = new Map<string, PageMonitor[]>();
  for (const pm of model.monitors)
    chains.set(pm.monitor.chain, [...(chains.get(pm.monitor.chain) ?? []), pm]);
  return [...chains.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([chain, list]) => compactChain(chain, list, model.now))
    .join("");
}

export function renderStatusPage(model: PageModel): string {
  const groupHtml = model.monitors.length <= DETAILED_UP_TO ? detailedGroups(model) : compactGroups(model);
  const summary = summaryOf(model.monitors.map((pm) => pm.monitor));

  const active = model.maintenance.filter(
    (w) => Date.parse(w.start) <= model.now && Date.parse(w.end) > model.now,
  );
  const coming = model.maintenance.filter((w) => Date.parse(w.start) > model.now);
  const windowLine = (w: PlannedMaintenance) => {
    const names = w.monitors.map((id) => model.names.get(id) ?? id).join(", ");
    return `<li><strong>${esc(w.title ?? w.id)}</strong>: ${esc(when(w.start))} – ${esc(when(w.end))}${names ? ` (${esc(names)})` : ""}</li>`;
  };
  const maintenanceBanner =
    active.length || coming.length
      ? `<div class="banner maintenance" id="maintenance-banner" role="status">${active.length ? `<strong>Maintenance in progress</strong><ul>${active.map(windowLine).join("")}</ul>` : ""}${coming.length ? `<strong>Scheduled maintenance</strong><ul>${coming.map(windowLine).join("")}</ul>` : ""}</div>`
      : "";
  const degradedBanner =
    model.monitoring.state === "degraded"
      ? `<div class="banner degraded" id="monitoring-banner" role="alert"><strong>Monitoring degraded</strong>: states below may be stale.<ul>${model.monitoring.problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul></div>`
      : "";

  return pageShell(
    "Status",
    `<h1>Node status</h1>
<p class="summary state-${esc(summary.worst)}" id="summary">${esc(summary.text)}</p>
<p class="muted">Updated ${esc(when(model.generatedAt))}. Uptime bars are UTC days; availability = (up + degraded) / (up + degraded + down), maintenance and unknown excluded.</p>
${degradedBanner}${maintenanceBanner}
${groupHtml || `<p class="muted">No monitors configured.</p>`}
<h2>Incidents</h2>
<div id="incidents">${incidentList(model.incidents)}</div>`,
  );
}

function incidentList(list: readonly PageIncident[]): string {
  return list.length
    ? list
        .map(
          (i) => `<article class="incident" data-incident="${esc(i.id)}" data-open="${i.closedAt === null}">
<div class="head"><span class="name">${esc(i.monitorName)}</span><span class="state state-${esc(i.state)}">${esc(i.state)}</span>
<span class="muted">${esc(when(i.openedAt))} – ${i.closedAt ? esc(when(i.closedAt)) : "ongoing"}</span></div>
${i.reasons.length ? `<ul class="reasons">${i.reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>` : ""}
${i.notes.map((n) => `<p class="note"><span class="muted">${esc(when(n.at))}</span> ${esc(n.text)}</p>`).join("")}
</article>`,
        )
        .join("")
    : `<p class="muted">No incidents.</p>`;
}

function pageShell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
${body}
<footer>JSON: <a href="/api/v1/status">/api/v1/status</a> · API: <a href="/docs">/docs</a></footer>
</main></body></html>`;
}

/** One monitor's own page: its bars, latency chart, vantages and incidents. */
export function renderMonitorPage(
  pm: PageMonitor,
  incidents: readonly PageIncident[],
  now: number,
  generatedAt: string,
): string {
  return pageShell(
    `${pm.monitor.name} · Status`,
    `<p><a href="/">← all monitors</a></p>
<h1>${esc(pm.monitor.name)}</h1>
<p class="muted">Updated ${esc(when(generatedAt))}.</p>
<div class="group">${monitorBlock(pm, now)}</div>
<h2>Incidents</h2>
<div id="incidents">${incidentList(incidents)}</div>`,
  );
}
