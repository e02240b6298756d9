/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { PublicMonitor } from "../../core/public.ts";
import type { Transition } from "../../core/uptime.ts";
import { BAR_LEGEND, barLevel, type DayBar, dailyBars } from "./bars.ts";
import { pct, when } from "./format.ts";
import { LatencyChart, type LatencyPoint } from "./latency-chart.tsx";
import { Reasons } from "./reasons.tsx";

export interface PageMonitor {
  monitor: PublicMonitor;
  operator: string | null;
  timeline: readonly Transition[] | undefined;
  latency: readonly LatencyPoint[];
}

const DAY = 86_400_000;

export const Bars: FC<{ bars: readonly DayBar[]; label: string }> = ({ bars, label }) => (
  <>
    <div class="bars" role="img" aria-label={label}>
      {bars.map((b) => {
        const level = barLevel(b);
        return (
          <div
            class={`bar bar-${level}`}
            data-day={b.day}
            data-level={level}
            title={`${b.day}: ${pct(b.availability)}${level === "degraded" ? ", degraded at times" : ""}`}
          />
        );
      })}
    </div>
    <div class="axis">
      <span>90 days ago</span>
      <span>today (UTC)</span>
    </div>
  </>
);

/** What the bar colours mean; shown once per page. */
export const BarLegend: FC = () => (
  <p class="legends" id="bar-legend">
    {BAR_LEGEND.map((l) => (
      <span class="legend" data-level={l.level}>
        <i class={`bar-${l.level}`} />
        {l.text}
      </span>
    ))}
  </p>
);

/** A monitor in full: state, reasons, 90-day bars and the latency chart per region. */
export const MonitorBlock: FC<{ pm: PageMonitor; now: number }> = ({ pm, now }) => {
  const m = pm.monitor;
  const vantages = m.vantages
    .map((v) => `${v.region}: ${v.state}${v.latencyMs !== undefined ? ` ${Math.round(v.latencyMs)} ms` : ""}`)
    .join(" · ");
  return (
    <section class="monitor" id={`m-${m.id}`} data-monitor={m.id} data-state={m.state}>
      <div class="head">
        <a class="name" href={`/monitors/${encodeURIComponent(m.id)}`}>
          {m.name}
        </a>
        <span class={`state state-${m.state}`}>{m.state}</span>
        <span class="muted">{m.since ? `since ${when(m.since)}` : ""}</span>
        {m.target ? <span class="muted">{m.target}</span> : null}
        <span class="muted uptime">30 days: {pct(m.uptime["30d"])}</span>
      </div>
      <Reasons list={m.reasons} />
      <Bars bars={dailyBars(pm.timeline, now, 90)} label={`90-day uptime of ${m.name}, UTC days`} />
      <details>
        <summary>Latency per region, last 24 hours{vantages ? ` — ${vantages}` : ""}</summary>
        <LatencyChart points={pm.latency} from={now - DAY} to={now} />
      </details>
    </section>
  );
};

/** One line per monitor for large fleets: name (to its own page), state, why, 30-day uptime. */
export const MonitorRow: FC<{ pm: PageMonitor }> = ({ pm }) => {
  const m = pm.monitor;
  return (
    <li class="row" data-monitor={m.id} data-state={m.state}>
      <a href={`/monitors/${encodeURIComponent(m.id)}`}>{m.name}</a>{" "}
      <span class={`state state-${m.state}`}>{m.state}</span>{" "}
      <span class="muted">{pct(m.uptime["30d"])}</span>
      {m.state === "up" || m.reasons.length === 0 ? null : <span class="muted"> {m.reasons.join("; ")}</span>}
    </li>
  );
};
