import { TICK_WINDOW_MS } from "./schedule.ts";

/**
 * Past its ceiling the engine gives way in a stated order instead of falling behind without end:
 *
 * 1. A scheduled probe that cannot start at its slot (the runtime is busy, its invocation's
 *    connections are taken) starts late: it is delayed, and its lateness is counted.
 * 2. One that still could not start within SHED_AFTER_MS of when it could first have started is
 *    skipped: the monitor's next slot probes it again. The wait is counted from the hand-off when
 *    that came after the slot, so a prober catching up after a silence still probes at once.
 * 3. A forced probe (a confirmation, "probe now") is never skipped: an alert or a caller waits on it.
 *
 * Skipped probes travel to the state objects with the results and are reported as "monitoring
 * degraded". What a skip saves is the work a late probe would add to a runtime already behind:
 * without it, every window handed over more than the runtime could start, and it fell further behind.
 */
export const SHED_AFTER_MS = TICK_WINDOW_MS;

export interface Startable {
  scheduledAt: number;
  handedAt: number;
  forced?: boolean;
}

/** How long a probe has waited at `now` for the engine, not for its slot (ms). */
export function engineWaitMs(order: Startable, now: number): number {
  return Math.max(0, now - Math.max(order.handedAt, order.scheduledAt));
}

/** Whether a probe about to start at `now` is skipped instead (see above). */
export function shouldShed(order: Startable, now: number): boolean {
  return order.forced !== true && engineWaitMs(order, now) > SHED_AFTER_MS;
}
