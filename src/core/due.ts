import type { Monitor } from "./config/schema.ts";
import { type SlotClock, slotAt, slotClock, slotStart, TICK_WINDOW_MS } from "./schedule.ts";
import { ON_TIME_TOLERANCE_MS } from "./start-window.ts";

/** A monitor whose slot starts in the window being handed over, taken for probing in that slot. */
export interface DueProbe {
  monitor: Monitor;
  slot: number;
  /** Start of the slot (unix ms): when the probe is to start, and what its lateness is measured from. */
  scheduledAt: number;
  /** How long after its slot began the probe was taken (ms; 0 when taken ahead of it). */
  lateMs: number;
  /** The slot right after the monitor's last one: not a first start, not a resumption after a gap. */
  consecutive: boolean;
}

/**
 * A prober wakes this long before a window begins, so that its hand-off has reached the runner when
 * the window's first probe is to start (hand-offs took up to 1 s at 500 probes/s).
 */
export const HANDOFF_LEAD_MS = 500;

/**
 * A monitor never probed waits for its own slot, unless that slot began at most this long ago:
 * a deploy of 5,000 monitors would otherwise release all 5,000 at once.
 */
export const FIRST_START_WITHIN_MS = ON_TIME_TOLERANCE_MS;

/** The end (exclusive) of the window a prober awake at `now` hands over: the next one to begin. */
export function windowEnd(now: number): number {
  return (Math.floor((now + HANDOFF_LEAD_MS) / TICK_WINDOW_MS) + 1) * TICK_WINDOW_MS;
}

/** The slot a never-probed monitor counts as having had: the last that began over 1 s ago. */
function firstLastSlot(clock: SlotClock, now: number): number {
  return slotAt(clock, now - FIRST_START_WITHIN_MS - 1);
}

/**
 * Takes every monitor whose slot starts before the end of the window at hand (or started and was
 * not taken) and marks the slot in `lastSlots` as it does, so a monitor is taken at most once per
 * slot however often (or concurrently with whatever else) this runs: the only place a scheduled
 * probe is decided. Of several slots begun since the last, only the latest is taken (missed slots
 * are not replayed).
 */
export function takeDue(
  monitors: readonly Monitor[],
  lastSlots: Record<string, number>,
  now: number,
): DueProbe[] {
  const until = windowEnd(now);
  const due: DueProbe[] = [];
  for (const monitor of monitors) {
    const clock = slotClock(monitor.id, monitor.intervalSec);
    const last = lastSlots[monitor.id];
    const slot = slotAt(clock, until - 1);
    if (slot <= (last ?? firstLastSlot(clock, now))) continue;
    const scheduledAt = slotStart(clock, slot);
    lastSlots[monitor.id] = slot;
    due.push({
      monitor,
      slot,
      scheduledAt,
      lateMs: Math.max(0, now - scheduledAt),
      consecutive: last !== undefined && slot === last + 1,
    });
  }
  return due;
}

/**
 * When the prober should wake next: the lead before the window holding the earliest next slot of
 * `monitors` (a never-probed one's: its own next slot), or `now` when one is overdue.
 */
export function nextDue(
  monitors: readonly Monitor[],
  lastSlots: Record<string, number>,
  now: number,
): number {
  let next = Number.POSITIVE_INFINITY;
  for (const m of monitors) {
    const clock = slotClock(m.id, m.intervalSec);
    const start = slotStart(clock, (lastSlots[m.id] ?? firstLastSlot(clock, now)) + 1);
    next = Math.min(next, Math.floor(start / TICK_WINDOW_MS) * TICK_WINDOW_MS - HANDOFF_LEAD_MS);
  }
  return Math.max(now, next);
}
