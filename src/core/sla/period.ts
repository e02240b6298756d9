import { parseRfc3339, wallToUtc } from "../maintenance/tz.ts";

export interface Period {
  from: number;
  to: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;

/** A calendar month in `tz`: from its first local midnight to the next month's (DST-aware). */
export function monthPeriod(month: string, tz: string): Period | undefined {
  const m = MONTH.exec(month);
  if (!m) return undefined;
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { from: wallToUtc(tz, Date.UTC(year, index, 1)), to: wallToUtc(tz, Date.UTC(year, index + 1, 1)) };
}

/**
 * A period bound: unix milliseconds, an RFC 3339 time (its own offset wins), or a calendar date
 * `YYYY-MM-DD` meaning local midnight in `tz`.
 */
export function parseBound(text: string, tz: string): number | undefined {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const d = DATE.exec(text);
  if (d) {
    const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    const back = new Date(wall);
    if (back.getUTCDate() !== Number(d[3]) || back.getUTCMonth() !== Number(d[2]) - 1) return undefined;
    return wallToUtc(tz, wall);
  }
  return parseRfc3339(text);
}
