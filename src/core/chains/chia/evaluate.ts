import type { ChainRules } from "../../config/rules.ts";
import type { ChainFacts } from "../../result.ts";
import type { Reason } from "../../verdict.ts";
import {
  maxAheadOf,
  progressMemory,
  progressReasons,
  referenceHeightOf,
  staleBlockReason,
} from "../progress.ts";
import type { ChainContext, ChainEvaluation } from "../types.ts";

/** Chia: 18.75 s per block on average, but gaps of a minute or two are normal; 180 s is not. */
const CHIA_STALL_AFTER_SEC = 180;
/** Blocks behind the network before a Chia node counts as lagging, unless rules.maxLagBlocks says. */
const CHIA_MAX_LAG_BLOCKS = 5;

/** Chia full node (chia-rpc): synced flag, long sync, peak height moving, lag behind the network. */
export function evaluateChia(facts: ChainFacts, rules: ChainRules, ctx: ChainContext): ChainEvaluation {
  const reasons: Reason[] = [];
  if (facts.syncState === "sync_mode") {
    reasons.push({ code: "syncing", severity: "warn", message: "node is syncing (sync_mode)" });
  } else if (facts.syncState === "not_synced") {
    reasons.push({
      code: "not_synced",
      severity: "warn",
      message: "node is not synced (no recent transaction block, or no full node peer)",
    });
  }
  const progress = progressReasons(facts, ctx, {
    heightNoun: "peak height",
    lagNoun: "height",
    stallAfterSec: rules.stallAfterSec ?? CHIA_STALL_AFTER_SEC,
    maxLagBlocks: rules.maxLagBlocks ?? CHIA_MAX_LAG_BLOCKS,
    maxAheadBlocks: maxAheadOf(rules, rules.maxLagBlocks ?? CHIA_MAX_LAG_BLOCKS),
  });
  reasons.push(...progress.reasons);
  // Only with a configured limit: transaction blocks come irregularly (≈52 s on average).
  if (rules.maxBlockAgeSec !== undefined) {
    const stale = staleBlockReason(
      facts.lastBlockAt,
      ctx.now,
      rules.maxBlockAgeSec,
      "last transaction block",
    );
    if (stale) reasons.push(stale);
  }
  return {
    reasons,
    maintenance: false,
    memory: progressMemory(facts, ctx, progress.heightChangedAt),
    referenceHeight: referenceHeightOf(facts, reasons),
  };
}
