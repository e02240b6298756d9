import type { State } from "./verdict.ts";

/** The overall state holds from `at` until the next transition (or now). */
export interface Transition {
  at: number;
  state: State;
}

export type StateDurations = Record<State, number>;

const zero = (): StateDurations => ({ up: 0, degraded: 0, down: 0, unknown: 0, maintenance: 0 });

/**
 * Milliseconds spent in each state within [from, to). Time before the first transition is
 * not counted at all: the monitor did not exist yet, so it is neither up nor down.
 */
export function timeInStates(timeline: readonly Transition[], from: number, to: number): StateDurations {
  const out = zero();
  for (let i = 0; i < timeline.length; i++) {
    const t = timeline[i] as Transition;
    const end = i + 1 < timeline.length ? (timeline[i + 1] as Transition).at : to;
    const a = Math.max(t.at, from);
    const b = Math.min(end, to);
    if (b > a) out[t.state] += b - a;
  }
  return out;
}

/**
 * Availability = (up + degraded) / (up + degraded + down). Degraded nodes still serve, so they
 * count as available; unknown (our blind spot) and maintenance are left out of the denominator.
 * null when nothing was observed.
 */
export function availability(d: StateDurations): number | null {
  const denominator = d.up + d.degraded + d.down;
  return denominator > 0 ? (d.up + d.degraded) / denominator : null;
}
