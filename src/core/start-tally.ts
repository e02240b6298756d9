import { addValue, emptySketch, mergeSketches, type Sketch } from "./sketch.ts";
import { ON_TIME_TOLERANCE_MS } from "./start-window.ts";

/**
 * When scheduled probes really started, counted where their records arrive: start minus slot start
 * (lateness) and, of it, the time from the prober's hand-off to the start (the hop to a runner and
 * any wait for a connection). The one measure of "on time" the usage API and the benchmark report.
 */
export interface StartTally {
  probes: number;
  /** Started more than ON_TIME_TOLERANCE_MS after their slot began. */
  late: number;
  lateness: Sketch;
  maxLateMs: number;
  waited: Sketch;
  maxWaitedMs: number;
  /** Scheduled probes skipped because they could not start in time (core/shed.ts): not in `probes`. */
  shed: number;
}

export const emptyTally = (): StartTally => ({
  probes: 0,
  late: 0,
  lateness: emptySketch(),
  maxLateMs: 0,
  waited: emptySketch(),
  maxWaitedMs: 0,
  shed: 0,
});

export function tallyStart(
  t: StartTally,
  start: { scheduledAt: number; checkedAt: number; waitedMs?: number },
): void {
  const lateMs = Math.max(0, start.checkedAt - start.scheduledAt);
  t.probes++;
  if (lateMs > ON_TIME_TOLERANCE_MS) t.late++;
  addValue(t.lateness, lateMs);
  t.maxLateMs = Math.max(t.maxLateMs, lateMs);
  if (start.waitedMs !== undefined) {
    addValue(t.waited, start.waitedMs);
    t.maxWaitedMs = Math.max(t.maxWaitedMs, start.waitedMs);
  }
}

export function mergeTallies(a: StartTally, b: Partial<StartTally> | undefined): StartTally {
  if (!b) return a;
  return {
    probes: a.probes + (b.probes ?? 0),
    late: a.late + (b.late ?? 0),
    lateness: mergeSketches(a.lateness, b.lateness),
    maxLateMs: Math.max(a.maxLateMs, b.maxLateMs ?? 0),
    waited: mergeSketches(a.waited, b.waited),
    maxWaitedMs: Math.max(a.maxWaitedMs, b.maxWaitedMs ?? 0),
    shed: a.shed + (b.shed ?? 0),
  };
}
