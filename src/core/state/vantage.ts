import { isRanked, RANK, type Reason, type State, type Verdict } from "../verdict.ts";

export interface Thresholds {
  failure: number;
  recovery: number;
}

/** A run of consecutive instant verdicts that disagree with the effective state. */
export interface Streak {
  toward: "worse" | "better" | "unknown";
  count: number;
  /** worse: least bad rank seen in the run; better: worst rank seen in the run. */
  rank: number;
}

/** One vantage's view of one monitor after thresholds (what the operator is told). */
export interface VantageState {
  state: State;
  since: number;
  reasons: Reason[];
  checkedAt: number;
  latencyMs?: number;
  instant: State;
  streak?: Streak;
}

const BY_RANK: ("up" | "degraded" | "down")[] = ["up", "degraded", "down"];

function streakFor(prev: Streak | undefined, toward: Streak["toward"], rank: number): Streak {
  if (prev?.toward !== toward) return { toward, count: 1, rank };
  const merged = toward === "worse" ? Math.min(prev.rank, rank) : Math.max(prev.rank, rank);
  return { toward, count: prev.count + 1, rank: merged };
}

function moved(to: State, verdict: Verdict, now: number, latencyMs: number | undefined): VantageState {
  return {
    state: to,
    since: now,
    reasons: verdict.reasons,
    checkedAt: now,
    latencyMs,
    instant: verdict.state,
  };
}

/**
 * Applies one instant verdict to a vantage's state. Going worse needs `failure` consecutive worse
 * results and lands on the least bad of them; recovering needs `recovery` better ones and lands on
 * the worst of them, so a single blip in either direction never flips the state. Maintenance
 * is declared by the node itself and applies at once; our own blind spots (`unknown`) need as
 * many confirmations as a failure.
 */
export function applyVerdict(
  prev: VantageState | undefined,
  verdict: Verdict,
  th: Thresholds,
  now: number,
  latencyMs?: number,
): VantageState {
  const current: State = prev?.state ?? "unknown";
  const instant = verdict.state;

  if (instant === current) {
    return {
      ...prev,
      state: current,
      since: prev?.since ?? now,
      reasons: verdict.reasons,
      checkedAt: now,
      latencyMs,
      instant,
      streak: undefined,
    };
  }
  if (instant === "maintenance") return moved("maintenance", verdict, now, latencyMs);

  const keep = (streak: Streak): VantageState => ({
    state: current,
    since: prev?.since ?? now,
    reasons: prev?.reasons ?? [],
    checkedAt: now,
    latencyMs,
    instant,
    streak,
  });

  if (instant === "unknown") {
    const streak = streakFor(prev?.streak, "unknown", 0);
    return streak.count >= th.failure ? moved("unknown", verdict, now, latencyMs) : keep(streak);
  }

  const rank = RANK[instant];
  if (!isRanked(current)) {
    // Leaving unknown/maintenance: a good result is believed at once, a bad one is confirmed.
    if (instant === "up") return moved("up", verdict, now, latencyMs);
    const streak = streakFor(prev?.streak, "worse", rank);
    return streak.count >= th.failure
      ? moved(BY_RANK[streak.rank] ?? instant, verdict, now, latencyMs)
      : keep(streak);
  }

  const toward = rank > RANK[current] ? "worse" : "better";
  const streak = streakFor(prev?.streak, toward, rank);
  const needed = toward === "worse" ? th.failure : th.recovery;
  if (streak.count < needed) return keep(streak);
  return moved(BY_RANK[streak.rank] ?? instant, verdict, now, latencyMs);
}
