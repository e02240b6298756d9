/**
 * IANA time zones with nothing but Intl.DateTimeFormat (present in workerd and Node).
 *
 * "Wall" times are local date-times encoded as if they were UTC milliseconds
 * (Date.UTC(y, m-1, d, h, mi, s)), so calendar arithmetic on them never meets a DST change.
 * Converting a wall time to an instant follows RFC 5545 §3.3.5:
 *   - a wall time that occurs twice (fall back) means the first one (the earlier instant);
 *   - a wall time that does not occur (spring forward) is read with the offset in effect before
 *     the gap, i.e. it lands after the gap: 02:30 on a 02:00→03:00 day is 03:30.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const IANA_NAME = /^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+|[A-Z][A-Za-z0-9_+-]*)$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** An IANA zone name the runtime knows ("Europe/Berlin", "UTC"); offsets like "+02:00" are not. */
export function isValidTimeZone(tz: string): boolean {
  if (!IANA_NAME.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The wall time in `tz` at the instant `utcMs` (milliseconds kept). */
export function utcToWall(tz: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  const parts = formatter(tz).formatToParts(new Date(whole));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall + (utcMs - whole);
}

/** The zone's UTC offset at the instant `utcMs`, in milliseconds (east positive). */
export function offsetAt(tz: string, utcMs: number): number {
  return utcToWall(tz, utcMs) - utcMs;
}

/** The instant of a wall time in `tz`, per RFC 5545 for repeated and skipped wall times. */
export function wallToUtc(tz: string, wallMs: number): number {
  // Offsets range over [-12h, +14h], so the instant lies within a day of the wall time; zones do
  // not change offset twice within two days, so the offsets a day either side are the candidates.
  const before = offsetAt(tz, wallMs - DAY);
  const after = offsetAt(tz, wallMs + DAY);
  const valid = [before, after].filter((o) => offsetAt(tz, wallMs - o) === o).map((o) => wallMs - o);
  if (valid.length > 0) return Math.min(...valid);
  return wallMs - before;
}

// --- calendar helpers on wall times --------------------------------------------------------------

export interface WallParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallParts(wallMs: number): WallParts {
  const d = new Date(wallMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function validFields(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && s <= 59;
}

/** "2026-03-29T02:00" or "…T02:00:00" (no offset) → wall ms; undefined if malformed or impossible. */
export function parseLocalDateTime(text: string): number | undefined {
  const m = LOCAL_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const s = Number(m[6] ?? 0);
  if (!validFields(y, mo, d, h, mi, s)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** RFC 3339 with seconds and an offset ("2026-03-01T10:00:00Z", "…+02:00") → ms; else undefined. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!validFields(y, mo, d, h, mi, s)) return undefined;
  const zone = m[8] ?? "Z";
  let offset = 0;
  if (zone !== "Z" && zone !== "z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === "-" ? -1 : 1) * (oh * HOUR + om * MINUTE);
  }
  const frac = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s) + frac - offset;
}
