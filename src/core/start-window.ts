import { SHED_AFTER_MS } from "./shed.ts";

/** How a prober's scheduled starts went over one whole minute. */
export interface StartWindow {
  from: number;
  probes: number;
  /** Of them, started more than the on-time tolerance after their slot. */
  late: number;
  maxLateMs: number;
  /** Scheduled probes skipped because they could not start in time (core/shed.ts); not in `probes`. */
  shed?: number;
}

/** A probe is on time when it starts within this of its slot's start. */
export const ON_TIME_TOLERANCE_MS = 1_000;
export const START_WINDOW_MS = 60_000;
/**
 * Late starts above this share of a minute's probes: the checker is behind its schedule. Ten times
 * the 0.1 % the on-time goal allows, so one slow moment does not flap it. Measured: 1,000 probes/s
 * stayed under it in four runs of five (once 2 %), 1,250/s was over it (2.5–3 %).
 */
export const BEHIND_SHARE = 0.01;
/** Fewer scheduled probes than this in a minute say too little (a small fleet's first tick). */
export const BEHIND_MIN_PROBES = 20;

/**
 * Scheduled starts per whole minute: the minute in progress and the last complete one. The
 * watchdog reads the last complete minute, so what it judges is never a minute's first seconds.
 */
export class StartWindows {
  private current: StartWindow;
  private last?: StartWindow;

  constructor(now: number) {
    this.current = { from: now, probes: 0, late: 0, maxLateMs: 0 };
  }

  add(now: number, lateMs: number, late: boolean): void {
    this.rotate(now);
    this.current.probes++;
    if (late) this.current.late++;
    this.current.maxLateMs = Math.max(this.current.maxLateMs, lateMs);
  }

  /** The last complete minute, if it ended no more than a minute ago. */
  skipped(now: number, n: number): void {
    this.rotate(now);
    this.current.shed = (this.current.shed ?? 0) + n;
  }

  lastComplete(now: number): StartWindow | undefined {
    this.rotate(now);
    return this.last;
  }

  private rotate(now: number): void {
    if (now - this.current.from < START_WINDOW_MS) return;
    // A minute with no starts at all leaves no window: the silent-prober check covers that.
    const ended = now - this.current.from < 2 * START_WINDOW_MS;
    this.last = ended ? this.current : undefined;
    this.current = {
      from: ended ? this.current.from + START_WINDOW_MS : now,
      probes: 0,
      late: 0,
      maxLateMs: 0,
    };
  }
}

/**
 * "Monitoring degraded" when a prober keeps starting probes late: past its ceiling the engine
 * still probes every monitor (late, each in the slot it is taken in), and says so, instead of
 * letting node states grow stale in silence.
 */
export function behindProblem(prober: string, w: StartWindow | undefined): string | undefined {
  if (!w || w.probes < BEHIND_MIN_PROBES || w.late / w.probes <= BEHIND_SHARE) return undefined;
  const share = Math.round((100 * w.late) / w.probes);
  const slowest = (w.maxLateMs / 1000).toFixed(1);
  return `prober ${prober} is behind its schedule: ${share} % of its probes in the last minute started more than 1 s late (the latest ${slowest} s)`;
}

/**
 * "Monitoring degraded" when the engine skipped probes, or kept many waiting over the tolerance, as
 * their results arrive at a state object (there `late` and `maxLateMs` count the wait from hand-off
 * to start): what a prober sees at its hand-off misses a runtime too busy to start them.
 */
export function startsProblem(shard: string, w: StartWindow | undefined): string | undefined {
  if (!w) return undefined;
  const shed = w.shed ?? 0;
  if (shed > 0) {
    const seconds = SHED_AFTER_MS / 1000;
    return `probes for ${shard} skipped: ${shed} of ${w.probes + shed} scheduled in the last minute could not start within ${seconds} s (the checker is past its capacity)`;
  }
  if (w.probes < BEHIND_MIN_PROBES || w.late / w.probes <= BEHIND_SHARE) return undefined;
  const share = Math.round((100 * w.late) / w.probes);
  const slowest = (w.maxLateMs / 1000).toFixed(1);
  return `probes for ${shard} starting late: ${share} % of those in the last minute waited more than 1 s for the engine to start them (the longest ${slowest} s)`;
}
