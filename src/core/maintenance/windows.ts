import type { MaintenanceWindow } from "../config/maintenance.ts";
import { occurrenceWalls, parseRRule, type RRule } from "./rrule.ts";
import { parseLocalDateTime, parseRfc3339, wallToUtc } from "./tz.ts";

/** What scoping needs to know about a monitor. */
export interface MonitorRef {
  id: string;
  tags?: Readonly<Record<string, string>>;
}

/** One occurrence of a window: [start, end) in epoch milliseconds. */
export interface WindowOccurrence {
  id: string;
  start: number;
  end: number;
  title?: string;
}

const MINUTE = 60_000;
// Wall time = instant + offset, offsets within [-12h, +14h]: widen wall ranges by this much.
const OFFSET_SLACK = 15 * 60 * MINUTE;

type Compiled =
  | { kind: "once"; start: number; end: number }
  | { kind: "recurring"; rule: RRule; dtstart: number; durationMs: number; tz: string };

const compiled = new WeakMap<MaintenanceWindow, Compiled>();

/** Parses a window once (cached per object). Throws on a window the schema would reject. */
function compile(w: MaintenanceWindow): Compiled {
  const hit = compiled.get(w);
  if (hit) return hit;
  let c: Compiled;
  if (w.rrule === undefined) {
    const start = parseRfc3339(w.start);
    const end = w.end === undefined ? undefined : parseRfc3339(w.end);
    if (start === undefined || end === undefined)
      throw new Error(`maintenance window ${w.id}: bad start/end`);
    c = { kind: "once", start, end };
  } else {
    const dtstart = parseLocalDateTime(w.start);
    if (dtstart === undefined || w.durationMin === undefined || w.tz === undefined) {
      throw new Error(`maintenance window ${w.id}: recurring window needs a local start, durationMin and tz`);
    }
    c = {
      kind: "recurring",
      rule: parseRRule(w.rrule),
      dtstart,
      durationMs: w.durationMin * MINUTE,
      tz: w.tz,
    };
  }
  compiled.set(w, c);
  return c;
}

/** No scope covers every monitor; `monitors` and `tags`, when given, must both match. */
export function inScope(w: MaintenanceWindow, monitor: MonitorRef): boolean {
  if (w.monitors !== undefined && !w.monitors.includes(monitor.id)) return false;
  if (w.tags !== undefined) {
    for (const [k, v] of Object.entries(w.tags)) if (monitor.tags?.[k] !== v) return false;
  }
  return true;
}

/**
 * Occurrences of one window that overlap [from, to), ascending, unclipped. A recurring occurrence
 * starts at its wall time read in the window's zone (RFC 5545: a skipped wall time lands after the
 * gap, a repeated one means the first) and lasts durationMin of elapsed time.
 */
export function occurrencesBetween(w: MaintenanceWindow, from: number, to: number): WindowOccurrence[] {
  if (!(to > from)) return [];
  const c = compile(w);
  const make = (start: number, end: number): WindowOccurrence =>
    w.title === undefined ? { id: w.id, start, end } : { id: w.id, start, end, title: w.title };
  if (c.kind === "once") return c.start < to && c.end > from ? [make(c.start, c.end)] : [];

  const toInstant = (wall: number) => wallToUtc(c.tz, wall);
  const out: WindowOccurrence[] = [];
  let last = Number.NEGATIVE_INFINITY;
  const fromWall = from - c.durationMs - OFFSET_SLACK;
  const toWall = to + OFFSET_SLACK;
  for (const wall of occurrenceWalls(c.rule, c.dtstart, fromWall, toWall, toInstant)) {
    const start = toInstant(wall);
    // Two wall times can meet at one instant (02:00 in a skipped hour and 03:00): keep one.
    if (start <= last) continue;
    last = start;
    if (start < to && start + c.durationMs > from) out.push(make(start, start + c.durationMs));
  }
  return out;
}

const toMs = (t: number | Date) => (typeof t === "number" ? t : t.getTime());

/** The windows covering `monitor` at instant `at` (start ≤ at < end), in input order. */
export function activeWindows(
  windows: readonly MaintenanceWindow[],
  monitor: MonitorRef,
  at: number | Date,
): MaintenanceWindow[] {
  const t = toMs(at);
  return windows.filter((w) => inScope(w, monitor) && occurrencesBetween(w, t, t + 1).length > 0);
}

/**
 * Every occurrence of the monitor's windows overlapping [from, to), sorted by start then id,
 * unclipped (a report lists them as they were planned). For SLA exclusion see maintenanceIntervals.
 */
export function windowsBetween(
  windows: readonly MaintenanceWindow[],
  monitor: MonitorRef,
  from: number | Date,
  to: number | Date,
): WindowOccurrence[] {
  const a = toMs(from);
  const b = toMs(to);
  return windows
    .filter((w) => inScope(w, monitor))
    .flatMap((w) => occurrencesBetween(w, a, b))
    .sort((x, y) => x.start - y.start || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** The time under maintenance within [from, to): occurrences clipped and merged, ascending. */
export function maintenanceIntervals(
  windows: readonly MaintenanceWindow[],
  monitor: MonitorRef,
  from: number | Date,
  to: number | Date,
): { start: number; end: number }[] {
  const a = toMs(from);
  const b = toMs(to);
  const out: { start: number; end: number }[] = [];
  for (const o of windowsBetween(windows, monitor, a, b)) {
    const start = Math.max(o.start, a);
    const end = Math.min(o.end, b);
    const prev = out[out.length - 1];
    if (prev && start <= prev.end) prev.end = Math.max(prev.end, end);
    else out.push({ start, end });
  }
  return out;
}
