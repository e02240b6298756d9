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
 * Probers wake once per window of this length and hand over every probe whose slot starts in it;
 * the runner starts each at its own time. One wake-up and about one delivery per window per
 * prober is what keeps Durable Object requests and rows per probe low.
 */
export const TICK_WINDOW_MS = 5_000;

/**
 * The phase is anywhere in the interval, to the millisecond, from the id's hash mixed (mix32).
 * Phases on a 5 s grid made every prober start its window's probes in the same instant: at 500
 * probes/s, 2,500 starts at once every 5 s, and a p99 start lateness of a second. Mixed because the
 * shard is `fnv1a(id) % shards`, and the same hash for both made them alias (with 20 shards and 6
 * windows, each prober saw 3 of the 6).
 */
export function slotClock(monitorId: string, intervalSec: number): SlotClock {
  const intervalMs = intervalSec * 1000;
  return { intervalMs, phaseMs: mix32(fnv1a(monitorId)) % intervalMs };
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
