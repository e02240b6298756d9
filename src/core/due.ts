import type { Monitor } from "./config/schema.ts";
import { isDue, nextDueAt, slotAt, slotClock, slotStart } from "./schedule.ts";

/** A monitor whose slot has come, taken for probing in that slot. */
export interface DueProbe {
  monitor: Monitor;
  slot: number;
  /** Start of the slot (unix ms): what the probe's lateness is measured from. */
  scheduledAt: number;
  /** How long after its slot began the probe was taken (ms). */
  lateMs: number;
  /** The slot right after the monitor's last one: not a first start, not a resumption after a gap. */
  consecutive: boolean;
}

/**
 * Takes every monitor whose slot has come and marks the slot in `lastSlots` as it does, so a
 * monitor is taken at most once per slot however often (or concurrently with whatever else) this
 * runs: the only place a scheduled probe is decided. Missed slots are not replayed.
 */
export function takeDue(
  monitors: readonly Monitor[],
  lastSlots: Record<string, number>,
  now: number,
): DueProbe[] {
  const due: DueProbe[] = [];
  for (const monitor of monitors) {
    const clock = slotClock(monitor.id, monitor.intervalSec);
    const last = lastSlots[monitor.id];
    if (!isDue(clock, last, now)) continue;
    const slot = slotAt(clock, now);
    const scheduledAt = slotStart(clock, slot);
    lastSlots[monitor.id] = slot;
    due.push({
      monitor,
      slot,
      scheduledAt,
      lateMs: now - scheduledAt,
      consecutive: last !== undefined && slot === last + 1,
    });
  }
  return due;
}

/** When the next of `monitors` comes due (now, for one never probed). */
export function nextDue(
  monitors: readonly Monitor[],
  lastSlots: Record<string, number>,
  now: number,
): number {
  let next = Number.POSITIVE_INFINITY;
  for (const m of monitors)
    next = Math.min(next, nextDueAt(slotClock(m.id, m.intervalSec), lastSlots[m.id], now));
  return next;
}
