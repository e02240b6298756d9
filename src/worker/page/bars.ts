import { availability, type Transition, timeInStates } from "../../core/uptime.ts";

export const DAY_MS = 86_400_000;

export interface DayBar {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  /** Same definition as the API and SLA: (up + degraded) / (up + degraded + down); null when nothing was observed. */
  availability: number | null;
  downMs: number;
  /** Time degraded: working, so available, but not healthy (lagging, stalled, few peers …). */
  degradedMs: number;
  maintenanceMs: number;
}

/** One bar per UTC day, oldest first, the last one being today up to `now`. */
export function dailyBars(timeline: readonly Transition[] | undefined, now: number, days = 90): DayBar[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const out: DayBar[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const from = today - i * DAY_MS;
    const to = Math.min(from + DAY_MS, now);
    const d = timeInStates(timeline ?? [], from, to);
    out.push({
      day: new Date(from).toISOString().slice(0, 10),
      availability: availability(d),
      downMs: d.down,
      degradedMs: d.degraded,
      maintenanceMs: d.maintenance,
    });
  }
  return out;
}

export type BarLevel = "none" | "ok" | "degraded" | "minor" | "major" | "maintenance";

/**
 * A day's colour: downtime decides first (minor under 1 % of the observed time, major beyond);
 * a day without notable downtime but with degraded time is degraded, not a green day.
 */
export function barLevel(b: DayBar): BarLevel {
  if (b.availability === null) return b.maintenanceMs > 0 ? "maintenance" : "none";
  if (b.availability < 0.99) return "major";
  if (b.availability < 0.999) return "minor";
  return b.degradedMs > 0 ? "degraded" : "ok";
}

/** What each colour of the bars means, for the legend. */
export const BAR_LEGEND: readonly { level: BarLevel; text: string }[] = [
  { level: "ok", text: "up" },
  { level: "degraded", text: "degraded (working, not healthy)" },
  { level: "minor", text: "down 0.1–1 % of the day" },
  { level: "major", text: "down over 1 %" },
  { level: "maintenance", text: "maintenance" },
  { level: "none", text: "no data" },
];
