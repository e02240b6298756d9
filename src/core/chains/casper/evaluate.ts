import type { ChainRules } from "../../config/rules.ts";
import type { ChainFacts } from "../../result.ts";
import type { Reason } from "../../verdict.ts";
import { networkAndPeerReasons } from "../common-rules.ts";
import { casperBlockTime, STALE_BLOCK_MULTIPLE } from "../profiles.ts";
import {
  maxAheadOf,
  progressMemory,
  progressReasons,
  referenceHeightOf,
  staleBlockReason,
} from "../progress.ts";
import type { ChainContext, ChainEvaluation } from "../types.ts";
import { sidecarStatusReason } from "./sidecar-status.ts";

const HEALTHY_REACTOR = new Set(["KeepUp", "Validate"]);
const UPGRADING_REACTOR = new Set(["Upgrading", "ShutdownForUpgrade"]);

function thresholds(rules: ChainRules, facts: ChainFacts) {
  const blockTime = rules.blockTimeSec ?? casperBlockTime(facts.version).maxBlockTimeSec;
  return {
    maxBlockAgeSec: rules.maxBlockAgeSec ?? blockTime * STALE_BLOCK_MULTIPLE,
    stallAfterSec: rules.stallAfterSec ?? blockTime * STALE_BLOCK_MULTIPLE,
    maxLagBlocks: rules.maxLagBlocks ?? CASPER_MAX_LAG_BLOCKS,
  };
}

/** A few blocks behind is normal propagation; more is a node that can't keep up. */
export const CASPER_MAX_LAG_BLOCKS = 5;

/**
 * Casper health from normalised facts: reactor state, network, peers, freshness of the last
 * block, height advancing, lag behind the network, scheduled upgrade, and the event sidecar's
 * connection to its node. Pure: history and the network's reference height come in through ctx.
 *
 * A sidecar that is up while its node is gone must not read healthy: its admin port says so
 * (node_statuses ≠ 2), its `/block` stops moving (stale / stalled) and its `/events` goes quiet
 * (no block event).
 */
export function evaluateCasper(facts: ChainFacts, rules: ChainRules, ctx: ChainContext): ChainEvaluation {
  const reasons: Reason[] = [];
  const { maxBlockAgeSec, stallAfterSec, maxLagBlocks } = thresholds(rules, facts);
  let maintenance = false;

  if (facts.syncState !== undefined && !HEALTHY_REACTOR.has(facts.syncState)) {
    if (UPGRADING_REACTOR.has(facts.syncState)) {
      maintenance = true;
      reasons.push({
        code: "upgrading",
        severity: "info",
        message: `node is upgrading (${facts.syncState})`,
      });
    } else if (facts.syncState === "CatchUp") {
      reasons.push({ code: "syncing", severity: "warn", message: "node is catching up (reactor CatchUp)" });
    } else {
      reasons.push({
        code: "not_ready",
        severity: "warn",
        message: `node is not in sync (reactor ${facts.syncState})`,
      });
    }
  }

  reasons.push(...networkAndPeerReasons(facts, rules, "chain"));

  if (facts.sidecarNodeStatus !== undefined) {
    const reason = sidecarStatusReason(facts.sidecarNodeStatus);
    if (reason) reasons.push(reason);
  }

  if (facts.blockSeen === false) {
    reasons.push({
      code: "no_block_event",
      severity: "warn",
      message: "event stream is open but announced no new block in its window",
    });
  }

  const stale = staleBlockReason(facts.lastBlockAt, ctx.now, maxBlockAgeSec);
  if (stale) reasons.push(stale);

  const progress = progressReasons(facts, ctx, {
    heightNoun: "height",
    lagNoun: "height",
    stallAfterSec,
    maxLagBlocks,
    maxAheadBlocks: maxAheadOf(rules, maxLagBlocks),
  });
  reasons.push(...progress.reasons);
  if (facts.height === undefined && facts.syncState !== undefined) {
    reasons.push({ code: "no_block", severity: "warn", message: "node has no block yet" });
  }

  if (facts.upgrade) {
    reasons.push({
      code: "upgrade_scheduled",
      severity: "info",
      message: `upgrade to ${facts.upgrade.protocolVersion} scheduled at ${facts.upgrade.activationPoint}`,
    });
  }

  return {
    reasons,
    maintenance,
    memory: progressMemory(facts, ctx, progress.heightChangedAt),
    referenceHeight: referenceHeightOf(facts, reasons),
  };
}
