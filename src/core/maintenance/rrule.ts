/**
 * A subset of RFC 5545 recurrence rules, evaluated in local wall time (see tz.ts):
 *
 *   FREQ=DAILY|WEEKLY|MONTHLY   INTERVAL=n   COUNT=n | UNTIL=yyyymmdd[Thhmmss[Z]]   WKST=MO..SU
 *   BYDAY=MO,TU,…   (MONTHLY also with an ordinal: 1SU first Sunday, -1FR last Friday)
 *   BYMONTHDAY=1,15,-1   (not with WEEKLY)   BYHOUR=0..23   BYMINUTE=0..59
 *
 * DTSTART is not part of the rule text: it is the window's `start` (a wall time in its zone).
 * Occurrences are the rule's matches at or after DTSTART (DTSTART itself only if it matches),
 * as in python-dateutil; COUNT counts those. BYHOUR/BYMINUTE expand; absent, the time of day is
 * DTSTART's. A MONTHLY rule without BYDAY/BYMONTHDAY uses DTSTART's day and skips months without
 * it (no 31st in April). UNTIL is inclusive: with Z an instant, without it a wall time in the
 * window's zone; a bare date means the end of that day.
 */

import { daysInMonth, wallParts } from "./tz.ts";

const DAY = 86_400_000;

export type Freq = "DAILY" | "WEEKLY" | "MONTHLY";

/** Weekday numbers as in Date#getUTCDay: SU = 0 … SA = 6. */
export const WEEKDAYS = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 } as const;
type WeekdayCode = keyof typeof WEEKDAYS;

export interface ByDay {
  weekday: number;
  /** MONTHLY only: 1..5 from the start of the month, -1..-5 from its end. */
  ordinal?: number;
}

export type Until = { kind: "utc"; ms: number } | { kind: "wall"; ms: number };

export interface RRule {
  freq: Freq;
  interval: number;
  byDay?: ByDay[];
  byMonthDay?: number[];
  byHour?: number[];
  byMinute?: number[];
  count?: number;
  until?: Until;
  wkst: number;
}

export class RRuleError extends Error {
  override name = "RRuleError";
}

const SUPPORTED = new Set([
  "FREQ",
  "INTERVAL",
  "BYDAY",
  "BYMONTHDAY",
  "BYHOUR",
  "BYMINUTE",
  "COUNT",
  "UNTIL",
  "WKST",
]);
export const MAX_COUNT = 100_000;

function intList(key: string, value: string, lo: number, hi: number, allowNegative = false): number[] {
  const out: number[] = [];
  for (const item of value.split(",")) {
    if (!/^[+-]?\d{1,4}$/.test(item)) throw new RRuleError(`${key}: '${item}' is not a number`);
    const n = Number(item);
    const ok = allowNegative ? n !== 0 && Math.abs(n) >= lo && Math.abs(n) <= hi : n >= lo && n <= hi;
    if (!ok) {
      throw new RRuleError(
        `${key}: ${item} is out of range (${allowNegative ? `${lo}..${hi} or -${hi}..-${lo}` : `${lo}..${hi}`})`,
      );
    }
    if (!out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

function weekdayCode(key: string, code: string): number {
  if (!(code in WEEKDAYS)) throw new RRuleError(`${key}: '${code}' is not one of MO, TU, WE, TH, FR, SA, SU`);
  return WEEKDAYS[code as WeekdayCode];
}

function parseUntil(value: string): Until {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) throw new RRuleError(`UNTIL: '${value}' is not YYYYMMDD or YYYYMMDDTHHMMSS[Z]`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = m[4] === undefined ? [23, 59, 59] : [Number(m[4]), Number(m[5]), Number(m[6])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    throw new RRuleError(`UNTIL: '${value}' is not a valid date-time`);
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return m[7] === "Z" ? { kind: "utc", ms } : { kind: "wall", ms };
}

/** Parses the rule text ("FREQ=WEEKLY;BYDAY=SA;BYHOUR=2", an "RRULE:" prefix is allowed). */
export function parseRRule(text: string): RRule {
  const body = text.trim().replace(/^RRULE:/i, "");
  if (body === "") throw new RRuleError("empty rule");
  const seen = new Map<string, string>();
  for (const part of body.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new RRuleError(`'${part}' is not KEY=VALUE`);
    const key = part.slice(0, eq).toUpperCase();
    const value = part.slice(eq + 1).toUpperCase();
    if (key === "DTSTART") throw new RRuleError("DTSTART: give it as the window's start, not in the rule");
    if (!SUPPORTED.has(key))
      throw new RRuleError(`${key}: not supported (supported: ${[...SUPPORTED].join(", ")})`);
    if (seen.has(key)) throw new RRuleError(`${key}: given twice`);
    if (value === "") throw new RRuleError(`${key}: empty value`);
    seen.set(key, value);
  }

  const freq = seen.get("FREQ");
  if (freq === undefined) throw new RRuleError("FREQ: missing (DAILY, WEEKLY or MONTHLY)");
  if (freq !== "DAILY" && freq !== "WEEKLY" && freq !== "MONTHLY") {
    throw new RRuleError(`FREQ: '${freq}' is not supported (DAILY, WEEKLY or MONTHLY)`);
  }
  const rule: RRule = { freq, interval: 1, wkst: WEEKDAYS.MO };

  const interval = seen.get("INTERVAL");
  if (interval !== undefined) rule.interval = intList("INTERVAL", interval, 1, 1000)[0] ?? 1;
  if (interval?.includes(",")) throw new RRuleError("INTERVAL: one number");

  const byDay = seen.get("BYDAY");
  if (byDay !== undefined) {
    rule.byDay = byDay.split(",").map((item) => {
      const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
      if (!m) throw new RRuleError(`BYDAY: '${item}' is not a weekday such as MO, 1SU or -1FR`);
      const weekday = weekdayCode("BYDAY", m[2] ?? "");
      if (m[1] === undefined) return { weekday };
      const ordinal = Number(m[1]);
      if (freq !== "MONTHLY") throw new RRuleError(`BYDAY: '${item}': an ordinal needs FREQ=MONTHLY`);
      if (ordinal === 0 || Math.abs(ordinal) > 5)
        throw new RRuleError(`BYDAY: '${item}': ordinal must be 1..5 or -1..-5`);
      return { weekday, ordinal };
    });
  }

  const byMonthDay = seen.get("BYMONTHDAY");
  if (byMonthDay !== undefined) {
    if (freq === "WEEKLY") throw new RRuleError("BYMONTHDAY: not allowed with FREQ=WEEKLY");
    rule.byMonthDay = intList("BYMONTHDAY", byMonthDay, 1, 31, true);
  }
  const byHour = seen.get("BYHOUR");
  if (byHour !== undefined) rule.byHour = intList("BYHOUR", byHour, 0, 23);
  const byMinute = seen.get("BYMINUTE");
  if (byMinute !== undefined) rule.byMinute = intList("BYMINUTE", byMinute, 0, 59);

  const count = seen.get("COUNT");
  const until = seen.get("UNTIL");
  if (count !== undefined && until !== undefined) throw new RRuleError("COUNT and UNTIL: give one, not both");
  if (count !== undefined) {
    if (!/^\d{1,6}$/.test(count) || Number(count) < 1 || Number(count) > MAX_COUNT) {
      throw new RRuleError(`COUNT: must be 1..${MAX_COUNT}`);
    }
    rule.count = Number(count);
  }
  if (until !== undefined) rule.until = parseUntil(until);

  const wkst = seen.get("WKST");
  if (wkst !== undefined) rule.wkst = weekdayCode("WKST", wkst);
  return rule;
}

// --- expansion ------------------------------------------------------------------------------------

const dayIndex = (wallMs: number) => Math.floor(wallMs / DAY);
const weekdayOfDay = (day: number) => (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday

/** Times of day (ms after midnight) the rule produces on a matching day, ascending. */
function timesOfDay(rule: RRule, start: number): number[] {
  const p = wallParts(start);
  const hours = rule.byHour ?? [p.hour];
  const minutes = rule.byMinute ?? [p.minute];
  const out: number[] = [];
  for (const h of hours) for (const m of minutes) out.push(((h * 60 + m) * 60 + p.second) * 1000);
  return out.sort((a, b) => a - b);
}

function monthDayMatches(rule: RRule, day: number): boolean {
  if (rule.byMonthDay === undefined) return true;
  const p = wallParts(day * DAY);
  const len = daysInMonth(p.year, p.month);
  return rule.byMonthDay.some((md) => (md > 0 ? md : len + 1 + md) === p.day);
}

function weekdayMatches(rule: RRule, day: number): boolean {
  return rule.byDay === undefined || rule.byDay.some((b) => b.weekday === weekdayOfDay(day));
}

/** The days (day indexes) of period `k`, ascending. */
function periodDays(rule: RRule, start: number, k: number): number[] {
  const startDay = dayIndex(start);
  if (rule.freq === "DAILY") {
    const day = startDay + k * rule.interval;
    return weekdayMatches(rule, day) && monthDayMatches(rule, day) ? [day] : [];
  }
  if (rule.freq === "WEEKLY") {
    const weekStart = startDay - ((weekdayOfDay(startDay) - rule.wkst + 7) % 7) + 7 * rule.interval * k;
    const wanted = rule.byDay?.map((b) => b.weekday) ?? [weekdayOfDay(startDay)];
    const out: number[] = [];
    for (let i = 0; i < 7; i++) if (wanted.includes(weekdayOfDay(weekStart + i))) out.push(weekStart + i);
    return out;
  }
  // MONTHLY
  const p = wallParts(start);
  const monthIndex = p.year * 12 + (p.month - 1) + k * rule.interval;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const len = daysInMonth(year, month);
  const first = dayIndex(Date.UTC(year, month - 1, 1));
  let days: number[];
  if (rule.byDay !== undefined) {
    const set = new Set<number>();
    for (const b of rule.byDay) {
      const firstMatch = (b.weekday - weekdayOfDay(first) + 7) % 7; // offset of the first such weekday
      const all: number[] = [];
      for (let d = firstMatch; d < len; d += 7) all.push(first + d);
      if (b.ordinal === undefined) for (const d of all) set.add(d);
      else {
        const d = b.ordinal > 0 ? all[b.ordinal - 1] : all[all.length + b.ordinal];
        if (d !== undefined) set.add(d);
      }
    }
    days = [...set];
    if (rule.byMonthDay !== undefined) days = days.filter((d) => monthDayMatches(rule, d));
  } else if (rule.byMonthDay !== undefined) {
    days = [];
    for (const md of rule.byMonthDay) {
      const dom = md > 0 ? md : len + 1 + md;
      if (dom >= 1 && dom <= len) days.push(first + dom - 1);
    }
  } else {
    days = p.day <= len ? [first + p.day - 1] : [];
  }
  return [...new Set(days)].sort((a, b) => a - b);
}

/** Wall time of the first instant period `k` can hold (its first day, midnight). */
function periodStartWall(rule: RRule, start: number, k: number): number {
  const startDay = dayIndex(start);
  if (rule.freq === "DAILY") return (startDay + k * rule.interval) * DAY;
  if (rule.freq === "WEEKLY") {
    return (startDay - ((weekdayOfDay(startDay) - rule.wkst + 7) % 7) + 7 * rule.interval * k) * DAY;
  }
  const p = wallParts(start);
  const monthIndex = p.year * 12 + (p.month - 1) + k * rule.interval;
  return Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1);
}

/** The first period that can hold a wall time ≥ `wall` (a lower bound; never past it). */
function firstPeriodFrom(rule: RRule, start: number, wall: number): number {
  if (wall <= start) return 0;
  if (rule.freq === "DAILY")
    return Math.max(0, Math.floor((dayIndex(wall) - dayIndex(start)) / rule.interval) - 1);
  if (rule.freq === "WEEKLY") {
    const weekStart = dayIndex(periodStartWall(rule, start, 0));
    return Math.max(0, Math.floor((dayIndex(wall) - weekStart) / (7 * rule.interval)) - 1);
  }
  const a = wallParts(start);
  const b = wallParts(wall);
  const months = b.year * 12 + b.month - (a.year * 12 + a.month);
  return Math.max(0, Math.floor(months / rule.interval) - 1);
}

/**
 * Occurrence wall times of `rule` from DTSTART `start` (a wall time), ascending, from about
 * `fromWall` (earlier ones may be skipped unless COUNT needs them) until past `toWall` or the
 * rule ends. `toInstant` maps a wall time to its instant (for UNTIL given in UTC).
 */
export function* occurrenceWalls(
  rule: RRule,
  start: number,
  fromWall: number,
  toWall: number,
  toInstant: (wall: number) => number,
): Generator<number> {
  const times = timesOfDay(rule, start);
  let emitted = 0;
  let k = rule.count === undefined ? firstPeriodFrom(rule, start, fromWall) : 0;
  for (; periodStartWall(rule, start, k) <= toWall; k++) {
    for (const day of periodDays(rule, start, k)) {
      for (const t of times) {
        const wall = day * DAY + t;
        if (wall < start) continue;
        if (rule.until !== undefined) {
          const past = rule.until.kind === "utc" ? toInstant(wall) > rule.until.ms : wall > rule.until.ms;
          if (past) return;
        }
        if (rule.count !== undefined && emitted >= rule.count) return;
        emitted++;
        if (wall > toWall) return;
        if (wall >= fromWall) yield wall;
      }
    }
  }
}

/** The first occurrence's wall time within `horizonMs` of DTSTART, or undefined if there is none. */
export function firstOccurrenceWall(
  rule: RRule,
  start: number,
  horizonMs: number,
  toInstant: (wall: number) => number,
): number | undefined {
  for (const wall of occurrenceWalls(rule, start, start, start + horizonMs, toInstant)) return wall;
  return undefined;
}
