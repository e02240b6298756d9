import type { Monitor } from "./config/schema.ts";
import { isDue, nextDueAt, type SlotClock, slotAt, slotClock, slotStart } from "./schedule.ts";
import { ON_TIME_TOLERANCE_MS } from "./start-window.ts";

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
 * A monitor never probed waits for its own slot, unless that slot began at most this long ago:
 * a deploy of 5,000 monitors would otherwise release all 5,000 at once.
 */
export const FIRST_START_WITHIN_MS = ON_TIME_TOLERANCE_MS;

/** The slot a never-probed monitor counts as having had: the one before the slot it may start in. */
function firstLastSlot(clock: SlotClock, now: number): number {
  const slot = slotAt(clock, now);
  return now - slotStart(clock, slot) <= FIRST_START_WITHIN_MS ? slot - 1 : slot;
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
    if (!isDue(clock, last ?? firstLastSlot(clock, now), now)) continue;
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

/** When the next of `monitors` comes due (a never-probed one: when its own slot begins). */
export function nextDue(
  monitors: readonly Monitor[],
  lastSlots: Record<string, number>,
  now: number,
): number {
  let next = Number.POSITIVE_INFINITY;
  for (const m of monitors) {
    const clock = slotClock(m.id, m.intervalSec);
    next = Math.min(next, nextDueAt(clock, lastSlots[m.id] ?? firstLastSlot(clock, now), now));
  }
  return next;
}
