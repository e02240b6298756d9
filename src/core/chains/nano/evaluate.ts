import type { ChainRules } from "../../config/rules.ts";
import type { ChainFacts } from "../../result.ts";
import type { Reason } from "../../verdict.ts";
import { networkAndPeerReasons } from "../common-rules.ts";
import { maxAheadOf, progressMemory, progressReasons, referenceHeightOf } from "../progress.ts";
import type { ChainContext, ChainEvaluation } from "../types.ts";

/**
 * Nano defaults. Nano has no block time (CHAINS.md B.5): progress is the cemented count growing.
 *
 * - stallAfterSec 120: NanoRPCProxy caches block_count for 30 s, so a proxied count legitimately
 *   stands still for up to 30 s; four cache periods without growth is a stall, not a cache.
 *   (The live network cements several blocks a second; a quiet test network may need more.)
 * - maxLagBlocks 10000: cemented counts of healthy, in-sync nodes differ by hundreds to thousands
 *   (confirmation order, pruning, a proxy's 30 s cache, the network reference being the highest
 *   count of the last minutes), while a node that fell out of sync or bootstraps is behind by
 *   hundreds of thousands to millions. 10000 is about half an hour of live traffic at 5 cps.
 */
export const NANO_DEFAULTS = {
  stallAfterSec: 120,
  maxLagBlocks: 10_000,
} as const;

export function nanoThresholds(rules: ChainRules): { stallAfterSec: number; maxLagBlocks: number } {
  return {
    stallAfterSec: rules.stallAfterSec ?? NANO_DEFAULTS.stallAfterSec,
    maxLagBlocks: rules.maxLagBlocks ?? NANO_DEFAULTS.maxLagBlocks,
  };
}

/**
 * Nano health from normalised facts (nano-rpc probe): network, peers, cemented count growing,
 * lag behind the network's reference count. The reference is the network's (ctx.networkHeight,
 * the highest count among healthy monitors of the same network); without one, the node's own
 * peers' telemetry (metrics.network_cemented) stands in. Pure: history comes in through ctx.
 */
export function evaluateNano(facts: ChainFacts, rules: ChainRules, ctx: ChainContext): ChainEvaluation {
  const reasons: Reason[] = [];
  const { stallAfterSec, maxLagBlocks } = nanoThresholds(rules);

  reasons.push(...networkAndPeerReasons(facts, rules, "network"));

  const progress = progressReasons(
    facts,
    ctx,
    {
      heightNoun: "cemented count",
      lagNoun: "cemented",
      stallAfterSec,
      maxLagBlocks,
      maxAheadBlocks: maxAheadOf(rules, maxLagBlocks),
      showLagLimit: true,
    },
    { reference: facts.metrics?.network_cemented, label: "its peers report" },
  );
  reasons.push(...progress.reasons);

  return {
    reasons,
    maintenance: false,
    memory: progressMemory(facts, ctx, progress.heightChangedAt),
    referenceHeight: referenceHeightOf(facts, reasons),
  };
}
