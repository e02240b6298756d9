import type { WindowOccurrence } from "../maintenance/windows.ts";
import { emptySketch, mergeSketches, quantile, type Sketch } from "../sketch.ts";
import type { Incident } from "../state/incident.ts";
import type { StateDurations, Transition } from "../uptime.ts";
import type { State } from "../verdict.ts";
import type {
  Durations,
  IncidentRow,
  LatencyPercentiles,
  MaintenanceRow,
  MonitorReport,
  RegionRow,
  SlaReportBody,
  UnknownPolicy,
  ValidatorRow,
} from "./schema.ts";

/**
 * SLA arithmetic, pure. Time-weighted: every transition owns the time until the next one; time
 * before a monitor's first transition is not counted (a monitor added mid-period counts from its
 * first result). Maintenance windows are cut out of whatever state the monitor was in and left
 * out of the denominator; `unknown` (gaps, our blind spots) is reported separately and treated
 * by the stated policy. Bump METHODOLOGY_VERSION whenever any of this changes.
 */
export const METHODOLOGY_VERSION = "2";

export interface Interval {
  start: number;
  end: number;
}

export interface LatencyStats {
  probes: number;
  sketch: Sketch;
}

export interface MonitorSlaInput {
  id: string;
  name?: string;
  /** Percent. */
  slaTarget: number;
  /** Overall transitions; include the last one before `from` so the state at `from` is known. */
  overall: Transition[];
  /** Per-vantage transitions, same rule. */
  regions: Record<string, Transition[]>;
  /** Merged maintenance intervals (maintenanceIntervals) within the period. */
  maintenance: Interval[];
  /** The planned occurrences, for listing (windowsBetween). */
  windows: WindowOccurrence[];
  incidents: Incident[];
  latency?: { overall?: LatencyStats; regions?: Record<string, LatencyStats> };
  /** A validator-kind monitor: the key it judges. */
  validator?: { chain: string; key: string };
  /** A node monitor tagged with the validator key it serves (tags.validatorKey). */
  servesKey?: string;
}

export interface SlaRequest {
  from: number;
  to: number;
  tz: string;
  month?: string;
  policy: UnknownPolicy;
  scope: { monitor?: string; tag?: string; operator?: string };
  generatedAt: number;
}

const iso = (t: number) => new Date(t).toISOString();
const sec = (ms: number) => ms / 1000;
const zero = (): StateDurations => ({ up: 0, degraded: 0, down: 0, unknown: 0, maintenance: 0 });

function overlap(a: number, b: number, list: readonly Interval[]): number {
  let total = 0;
  for (const i of list) {
    const s = Math.max(a, i.start);
    const e = Math.min(b, i.end);
    if (e > s) total += e - s;
  }
  return total;
}

/** Merges possibly overlapping intervals (ascending, disjoint). */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of [...list].sort((x, y) => x.start - y.start)) {
    const prev = out[out.length - 1];
    if (prev && i.start <= prev.end) prev.end = Math.max(prev.end, i.end);
    else if (i.end > i.start) out.push({ ...i });
  }
  return out;
}

/**
 * Milliseconds per state within [from, to), with the maintenance intervals cut out of whatever
 * state held and counted as maintenance. Before the first transition nothing is counted.
 */
export function stateTime(
  timeline: readonly Transition[],
  maintenance: readonly Interval[],
  from: number,
  to: number,
): StateDurations {
  const out = zero();
  const merged = mergeIntervals(maintenance);
  const sorted = [...timeline].sort((a, b) => a.at - b.at);
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i] as Transition;
    const end = i + 1 < sorted.length ? (sorted[i + 1] as Transition).at : to;
    const a = Math.max(t.at, from);
    const b = Math.min(end, to);
    if (b <= a) continue;
    const m = t.state === "maintenance" ? b - a : overlap(a, b, merged);
    out.maintenance += m;
    if (t.state !== "maintenance") out[t.state as State] += b - a - m;
  }
  return out;
}

/** Availability as a fraction under an unknown policy; null when nothing counts. */
export function availabilityOf(d: StateDurations, policy: UnknownPolicy): number | null {
  const good = d.up + d.degraded + (policy === "up" ? d.unknown : 0);
  const denominator = d.up + d.degraded + d.down + (policy === "exclude" ? 0 : d.unknown);
  return denominator > 0 ? good / denominator : null;
}

/** Percent rounded to 4 decimals: what the report states and what the target is checked against. */
export const percent = (fraction: number | null): number | null =>
  fraction === null ? null : Math.round(fraction * 1e6) / 1e4;

const durationsOf = (d: StateDurations): Durations => ({
  upSec: sec(d.up),
  degradedSec: sec(d.degraded),
  downSec: sec(d.down),
  unknownSec: sec(d.unknown),
  maintenanceSec: sec(d.maintenance),
});

const add = (a: StateDurations, b: StateDurations): StateDurations => ({
  up: a.up + b.up,
  degraded: a.degraded + b.degraded,
  down: a.down + b.down,
  unknown: a.unknown + b.unknown,
  maintenance: a.maintenance + b.maintenance,
});

const round1 = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);

export function percentiles(s: Sketch | undefined): LatencyPercentiles {
  const k = s ?? emptySketch();
  return { p50: round1(quantile(k, 0.5)), p95: round1(quantile(k, 0.95)), p99: round1(quantile(k, 0.99)) };
}

/** Mean time to recovery: mean full duration of the incidents that closed within [from, to). */
export function mttrMs(incidents: readonly Incident[], from: number, to: number): number | null {
  const closed = incidents.filter((i) => i.closedAt !== undefined && i.closedAt >= from && i.closedAt < to);
  if (closed.length === 0) return null;
  const total = closed.reduce((s, i) => s + ((i.closedAt as number) - i.openedAt), 0);
  return Math.round(total / closed.length);
}

export function incidentsIn(incidents: readonly Incident[], from: number, to: number): Incident[] {
  return incidents
    .filter((i) => i.openedAt < to && (i.closedAt ?? Number.POSITIVE_INFINITY) > from)
    .sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1));
}

function incidentRow(i: Incident, maintenance: readonly Interval[], from: number, to: number): IncidentRow {
  const a = Math.max(i.openedAt, from);
  const b = Math.min(i.closedAt ?? to, to);
  return {
    id: i.id,
    monitorId: i.monitorId,
    state: i.state,
    openedAt: iso(i.openedAt),
    closedAt: i.closedAt === undefined ? null : iso(i.closedAt),
    durationSec: i.closedAt === undefined ? null : sec(i.closedAt - i.openedAt),
    inPeriodSec: sec(Math.max(0, b - a)),
    inMaintenanceSec: sec(overlap(a, b, mergeIntervals(maintenance))),
    reasons: i.reasons,
  };
}

interface Accumulated {
  durations: StateDurations;
  sketch: Sketch;
  probes: number;
}

function regionRow(region: string, acc: Accumulated, policy: UnknownPolicy): RegionRow {
  return {
    region,
    ...durationsOf(acc.durations),
    availabilityPercent: percent(availabilityOf(acc.durations, policy)),
    probes: acc.probes,
    latencyMs: percentiles(acc.sketch),
  };
}

function addTo(map: Map<string, Accumulated>, region: string, d: StateDurations, l?: LatencyStats): void {
  const prev = map.get(region) ?? { durations: zero(), sketch: emptySketch(), probes: 0 };
  map.set(region, {
    durations: add(prev.durations, d),
    sketch: mergeSketches(prev.sketch, l?.sketch),
    probes: prev.probes + (l?.probes ?? 0),
  });
}

const byRegion = (map: Map<string, Accumulated>, policy: UnknownPolicy) =>
  [...map.keys()].sort().map((r) => regionRow(r, map.get(r) as Accumulated, policy));

/** Active and producing: `up` only, over the time counted under the unknown policy. */
function activeOf(d: StateDurations, policy: UnknownPolicy): number | null {
  const good = d.up + (policy === "up" ? d.unknown : 0);
  const denominator = d.up + d.degraded + d.down + (policy === "exclude" ? 0 : d.unknown);
  return denominator > 0 ? good / denominator : null;
}

/** One row per validator monitor, beside the combined availability of the nodes serving its key. */
function validatorRows(req: SlaRequest, monitors: readonly MonitorSlaInput[]): ValidatorRow[] {
  const { from, to, policy } = req;
  const time = (m: MonitorSlaInput) => stateTime(m.overall, m.maintenance, from, to);
  return monitors
    .filter((m) => m.validator !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((m) => {
      const { chain, key } = m.validator as { chain: string; key: string };
      const d = time(m);
      const nodes = monitors.filter(
        (n) => n.servesKey !== undefined && n.servesKey.toLowerCase() === key.toLowerCase(),
      );
      const nodeTime = nodes.reduce((sum, n) => add(sum, time(n)), zero());
      return {
        monitorId: m.id,
        name: m.name ?? null,
        chain,
        key,
        ...durationsOf(d),
        activePercent: percent(activeOf(d, policy)),
        nodeMonitors: nodes.map((n) => n.id).sort(),
        nodeAvailabilityPercent: nodes.length === 0 ? null : percent(availabilityOf(nodeTime, policy)),
      };
    });
}

/** The report body (unsigned) for the monitors in scope over [from, to). */
export function computeSla(req: SlaRequest, monitors: readonly MonitorSlaInput[]): SlaReportBody {
  const { from, to, policy } = req;
  const allRegions = new Map<string, Accumulated>();
  let total = zero();
  let sketch = emptySketch();
  let probes = 0;
  const incidents: IncidentRow[] = [];
  const allIncidents: Incident[] = [];
  const maintenance: MaintenanceRow[] = [];
  const reports: MonitorReport[] = [];

  for (const m of [...monitors].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const d = stateTime(m.overall, m.maintenance, from, to);
    const regions = new Map<string, Accumulated>();
    for (const [region, timeline] of Object.entries(m.regions)) {
      const rd = stateTime(timeline, m.maintenance, from, to);
      const stats = m.latency?.regions?.[region];
      addTo(regions, region, rd, stats);
      addTo(allRegions, region, rd, stats);
    }
    for (const [region, stats] of Object.entries(m.latency?.regions ?? {})) {
      if (!regions.has(region)) {
        addTo(regions, region, zero(), stats);
        addTo(allRegions, region, zero(), stats);
      }
    }
    const mine = incidentsIn(m.incidents, from, to);
    allIncidents.push(...mine);
    for (const i of mine) incidents.push(incidentRow(i, m.maintenance, from, to));
    for (const w of m.windows) {
      maintenance.push({
        id: w.id,
        monitorId: m.id,
        title: w.title ?? null,
        start: iso(w.start),
        end: iso(w.end),
        inPeriodSec: sec(Math.max(0, Math.min(w.end, to) - Math.max(w.start, from))),
      });
    }
    const availability = percent(availabilityOf(d, policy));
    const mttr = mttrMs(mine, from, to);
    const first = m.overall.length ? Math.min(...m.overall.map((t) => t.at)) : undefined;
    const observedFrom = first === undefined || first >= to ? null : iso(Math.max(first, from));
    const overallLatency = m.latency?.overall;
    reports.push({
      id: m.id,
      name: m.name ?? null,
      observedFrom,
      ...durationsOf(d),
      availabilityPercent: availability,
      slaTargetPercent: m.slaTarget,
      targetMet: availability === null ? null : availability >= m.slaTarget,
      probes: overallLatency?.probes ?? 0,
      latencyMs: percentiles(overallLatency?.sketch),
      incidents: mine.length,
      mttrSec: mttr === null ? null : sec(mttr),
      regions: byRegion(regions, policy),
    });
    total = add(total, d);
    sketch = mergeSketches(sketch, overallLatency?.sketch);
    probes += overallLatency?.probes ?? 0;
  }

  const measured = reports.filter((r) => r.targetMet !== null);
  const groupMttr = mttrMs(allIncidents, from, to);
  const single = reports.length === 1 ? reports[0] : undefined;
  incidents.sort((a, b) =>
    a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : a.id < b.id ? -1 : 1,
  );
  maintenance.sort((a, b) =>
    a.start < b.start ? -1 : a.start > b.start ? 1 : (a.monitorId + a.id).localeCompare(b.monitorId + b.id),
  );
  return {
    kind: "sla-report",
    methodologyVersion: METHODOLOGY_VERSION,
    generatedAt: iso(req.generatedAt),
    period: { from: iso(from), to: iso(to), tz: req.tz, month: req.month ?? null },
    scope: {
      monitor: req.scope.monitor ?? null,
      tag: req.scope.tag ?? null,
      operator: req.scope.operator ?? null,
    },
    unknownPolicy: policy,
    summary: {
      ...durationsOf(total),
      availabilityPercent: percent(availabilityOf(total, policy)),
      slaTargetPercent: single ? single.slaTargetPercent : null,
      targetMet: measured.length === 0 ? null : measured.every((r) => r.targetMet),
      probes,
      latencyMs: percentiles(sketch),
      incidents: incidents.length,
      mttrSec: groupMttr === null ? null : sec(groupMttr),
    },
    regions: byRegion(allRegions, policy),
    monitors: reports,
    validators: validatorRows(req, monitors),
    incidents,
    maintenance,
  };
}
