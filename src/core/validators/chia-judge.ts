import type { Reason } from "../verdict.ts";
import type { ChiaFarmerFacts } from "./facts.ts";

export interface ChiaFarmerRules {
  signagePointMaxAgeSec: number;
  expectedHarvesters?: number;
  expectedPlots?: number;
}

/** Pool acknowledgements below this share of the points found (given enough points) are a warning. */
const ACK_SHARE = 0.8;
const MIN_POINTS = 5;

/**
 * A Chia farmer as its own RPC sees it. No new signage point for longer than the limit means it
 * lost its full node (it cannot farm at all): critical. Fewer harvesters or plots than expected,
 * plots that fail to open, pool errors or points the pool does not acknowledge: warnings.
 */
export function judgeChiaFarmer(f: ChiaFarmerFacts, rules: ChiaFarmerRules): Reason[] {
  const reasons: Reason[] = [];
  if (f.signagePointAgeSec !== null && f.signagePointAgeSec > rules.signagePointMaxAgeSec)
    reasons.push({
      code: "no_signage_points",
      severity: "critical",
      message: `no new signage point for ${Math.round(f.signagePointAgeSec)} s: the farmer has lost its full node`,
    });
  if (rules.expectedHarvesters !== undefined && f.harvesters < rules.expectedHarvesters)
    reasons.push({
      code: "harvester_missing",
      severity: "warn",
      message: `${f.harvesters} of ${rules.expectedHarvesters} harvesters connected`,
    });
  if (rules.expectedPlots !== undefined && f.plots < rules.expectedPlots)
    reasons.push({
      code: "plots_missing",
      severity: "warn",
      message: `${f.plots} of ${rules.expectedPlots} plots farmed (${f.harvesterPlots.map((h) => `${h.host}: ${h.plots}`).join(", ") || "no harvester"})`,
    });
  if ((f.failedToOpen ?? 0) > 0)
    reasons.push({
      code: "plots_failed_to_open",
      severity: "warn",
      message: `${f.failedToOpen} plot file${f.failedToOpen === 1 ? "" : "s"} failed to open`,
    });
  if (f.pool && f.pool.errors24h > 0)
    reasons.push({
      code: "pool_errors",
      severity: "warn",
      message: `${f.pool.errors24h} pool error${f.pool.errors24h === 1 ? "" : "s"} in 24 h`,
    });
  if (
    f.pool &&
    f.pool.pointsFound24h >= MIN_POINTS &&
    f.pool.pointsAcknowledged24h < f.pool.pointsFound24h * ACK_SHARE
  )
    reasons.push({
      code: "pool_points_unacknowledged",
      severity: "warn",
      message: `the pool acknowledged ${f.pool.pointsAcknowledged24h} of ${f.pool.pointsFound24h} points found in 24 h`,
    });
  return reasons;
}
