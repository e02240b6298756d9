import { fnv1a, mix32 } from "./hash.ts";

/**
 * Interval slots. Each monitor owns slot n = floor((t - phase) / interval), with a phase hashed
 * from its id so that monitors with the same interval spread across it instead of firing together.
 * A monitor runs at most once per slot (idempotent if an alarm re-fires) and a late alarm still
 * runs it in the current slot (drift-tolerant); missed slots are not replayed.
 */
export interface SlotClock {
  intervalMs: number;
  phaseMs: number;
}

/**
 * Phases fall on a 5 s grid: monitors still spread over the interval, but those that share a grid
 * point run in one tick and one batch, which is what keeps storage writes per probe low.
 */
export const PHASE_STEP_MS = 5_000;

/**
 * The phase comes from the id's hash mixed (mix32): the shard is `fnv1a(id) % shards`, and the
 * same hash for the phase made the two alias (with 20 shards and 6 phases, each prober saw 3 of the
 * 6 grid points, so its monitors woke in half as many, twice as large, groups).
 */
export function slotClock(monitorId: string, intervalSec: number): SlotClock {
  const intervalMs = intervalSec * 1000;
  const steps = Math.max(1, Math.floor(intervalMs / PHASE_STEP_MS));
  return { intervalMs, phaseMs: (mix32(fnv1a(monitorId)) % steps) * PHASE_STEP_MS };
}

export function slotAt(clock: SlotClock, t: number): number {
  return Math.floor((t - clock.phaseMs) / clock.intervalMs);
}

export function slotStart(clock: SlotClock, slot: number): number {
  return slot * clock.intervalMs + clock.phaseMs;
}

export function isDue(clock: SlotClock, lastSlot: number | undefined, now: number): boolean {
  return lastSlot === undefined || slotAt(clock, now) > lastSlot;
}

/** When the monitor is next due, given the last slot it ran in. */
export function nextDueAt(clock: SlotClock, lastSlot: number | undefined, now: number): number {
  if (lastSlot === undefined) return now;
  return Math.max(slotStart(clock, lastSlot + 1), 0);
}

/** Fraction of the slot already gone when a probe started: 0 is on the dot, ≥ 1 is a missed slot. */
export function slotLateness(clock: SlotClock, slot: number, startedAt: number): number {
  return (startedAt - slotStart(clock, slot)) / clock.intervalMs;
}
