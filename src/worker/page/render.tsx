/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { StatusPage } from "../../core/config/page.ts";
import type { PublicMonitor } from "../../core/public.ts";
import type { PlannedMaintenance } from "../api/maintenance.ts";
import { type DayBar, dailyBars } from "./bars.ts";
import { when } from "./format.ts";
import { IncidentList, type PageIncident } from "./incidents.tsx";
import { renderToString } from "./jsx.ts";
import { BarLegend, Bars, MonitorBlock, MonitorRow, type PageMonitor } from "./monitor.tsx";
import { Brand, NEUTRAL_BRANDING, Shell } from "./shell.tsx";
import { ValidatorsSection } from "./validators.tsx";

export type { PageIncident, PageNote } from "./incidents.tsx";
export type { PageMonitor } from "./monitor.tsx";

export interface PageModel {
  now: number;
  generatedAt: string;
  monitoring: { state: "ok" | "degraded"; since: string | null; problems: string[] };
  maintenance: PlannedMaintenance[];
  monitors: PageMonitor[];
  incidents: PageIncident[];
  names: Map<string, string>;
  /** The config's `page` section; neutral when absent. */
  branding?: StatusPage;
}

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
      degradedMs: days.reduce((n, d) => n + d.degradedMs, 0),
      maintenanceMs: days.reduce((n, d) => n + d.maintenanceMs, 0),
    };
  });
}

const byState = (a: PageMonitor, b: PageMonitor) =>
  COUNTED.indexOf(a.monitor.state) - COUNTED.indexOf(b.monitor.state);

/** One line per monitor, problems first, in a list that starts open when it holds a problem. */
const OperatorList: FC<{ title: string; list: readonly PageMonitor[] }> = ({ title, list }) => {
  const { text, worst } = summaryOf(list.map((pm) => pm.monitor));
  return (
    <details class="operator" open={worst !== "up"}>
      <summary>
        <strong>{title}</strong> — <span class={`state-${worst}`}>{text}</span>
      </summary>
      <ul class="rows">
        {[...list].sort(byState).map((pm) => (
          <MonitorRow pm={pm} />
        ))}
      </ul>
    </details>
  );
};

function groupBy<T>(list: readonly T[], key: (t: T) => string): [string, T[]][] {
  const out = new Map<string, T[]>();
  for (const t of list) {
    const k = key(t);
    const members = out.get(k);
    if (members) members.push(t);
    else out.set(k, [t]);
  }
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** A small fleet: every monitor in full, grouped by chain and operator. */
const DetailedGroups: FC<{ model: PageModel }> = ({ model }) => (
  <>
    {groupBy(model.monitors, (pm) => `${pm.monitor.chain}\u0000${pm.operator ?? ""}`).map(([key, list]) => {
      const [chain = "", operator = ""] = key.split("\u0000");
      return (
        <section class="group" data-chain={chain} data-operator={operator}>
          <h2>{`${chain}${operator ? ` · ${operator}` : ""}`}</h2>
          {list.map((pm) => (
            <MonitorBlock pm={pm} now={model.now} />
          ))}
        </section>
      );
    })}
  </>
);

/**
 * A large fleet: per chain, the chain's 90-day bars (mean availability of its monitors) and a
 * collapsible list per operator; each monitor's own bars and chart are on its page.
 */
const CompactGroups: FC<{ model: PageModel }> = ({ model }) => (
  <>
    {groupBy(model.monitors, (pm) => pm.monitor.chain).map(([chain, list]) => (
      <section class="group" data-chain={chain}>
        <h2>{chain}</h2>
        <Bars bars={groupBars(list, model.now)} label={`90-day availability of ${chain}, UTC days`} />
        {groupBy(list, (pm) => pm.operator ?? "").map(([operator, members]) => (
          <OperatorList title={operator || "no operator"} list={members} />
        ))}
      </section>
    ))}
  </>
);

const Banners: FC<{ model: PageModel }> = ({ model }) => {
  const active = model.maintenance.filter(
    (w) => Date.parse(w.start) <= model.now && Date.parse(w.end) > model.now,
  );
  const coming = model.maintenance.filter((w) => Date.parse(w.start) > model.now);
  const WindowList: FC<{ title: string; list: PlannedMaintenance[] }> = ({ title, list }) =>
    list.length === 0 ? null : (
      <>
        <strong>{title}</strong>
        <ul>
          {list.map((w) => (
            <li>
              <strong>{w.title ?? w.id}</strong>: {when(w.start)} – {when(w.end)}
              {w.monitors.length > 0
                ? ` (${w.monitors.map((id) => model.names.get(id) ?? id).join(", ")})`
                : ""}
            </li>
          ))}
        </ul>
      </>
    );
  return (
    <>
      {model.monitoring.state === "degraded" ? (
        <div class="banner degraded" id="monitoring-banner" role="alert">
          <strong>Monitoring degraded</strong>: states below may be stale.
          <ul>
            {model.monitoring.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {active.length > 0 || coming.length > 0 ? (
        <div class="banner maintenance" id="maintenance-banner" role="status">
          <WindowList title="Maintenance in progress" list={active} />
          <WindowList title="Scheduled maintenance" list={coming} />
        </div>
      ) : null}
    </>
  );
};

const StatusPageView: FC<{ model: PageModel; branding: StatusPage }> = ({ model, branding }) => {
  const summary = summaryOf(model.monitors.map((pm) => pm.monitor));
  const validators = model.monitors.filter((pm) => pm.monitor.validator !== undefined);
  // Validator keys have their own section; the groups below hold the nodes and endpoints.
  const rest = { ...model, monitors: model.monitors.filter((pm) => pm.monitor.validator === undefined) };
  const open = model.incidents.filter((i) => i.closedAt === null);
  const closed = model.incidents.filter((i) => i.closedAt !== null);
  return (
    <Shell title={branding.title} branding={branding}>
      <Brand branding={branding} />
      <p class={`summary state-${summary.worst}`} id="summary">
        {summary.text}
      </p>
      <Banners model={model} />
      {open.length > 0 ? (
        <section id="open-incidents">
          <h2>Open incidents</h2>
          <IncidentList list={open} empty="" />
        </section>
      ) : null}
      <p class="muted">
        Updated {when(model.generatedAt)}. Uptime bars are UTC days; availability = (up + degraded) / (up +
        degraded + down), maintenance and unknown excluded.
      </p>
      {validators.length > 0 ? <ValidatorsSection list={validators} /> : null}
      <BarLegend />
      {model.monitors.length === 0 ? (
        <p class="muted">No monitors configured.</p>
      ) : rest.monitors.length <= DETAILED_UP_TO ? (
        <DetailedGroups model={rest} />
      ) : (
        <CompactGroups model={rest} />
      )}
      <h2>Past incidents</h2>
      <div id="incidents">
        <IncidentList list={closed} empty="No past incidents." />
      </div>
    </Shell>
  );
};

export function renderStatusPage(model: PageModel): string {
  const branding = model.branding ?? NEUTRAL_BRANDING;
  return `<!doctype html>${renderToString(<StatusPageView model={model} branding={branding} />)}`;
}

/** One monitor's own page: its bars, latency chart, vantages and incidents. */
export function renderMonitorPage(
  pm: PageMonitor,
  incidents: readonly PageIncident[],
  now: number,
  generatedAt: string,
  branding: StatusPage = NEUTRAL_BRANDING,
): string {
  const page = (
    <Shell title={`${pm.monitor.name} · ${branding.title}`} branding={branding}>
      <p>
        <a href="/">← {branding.title}</a>
      </p>
      <Brand branding={branding} heading={pm.monitor.name} />
      <p class="muted">Updated {when(generatedAt)}.</p>
      <BarLegend />
      <div class="group">
        <MonitorBlock pm={pm} now={now} />
      </div>
      <h2>Incidents</h2>
      <div id="incidents">
        <IncidentList list={incidents} empty="No incidents." />
      </div>
    </Shell>
  );
  return `<!doctype html>${renderToString(page)}`;
}
