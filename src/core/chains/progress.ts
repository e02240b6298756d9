import type { ChainFacts } from "../result.ts";
import type { Reason } from "../verdict.ts";
import type { ChainContext, ChainMemory } from "./types.ts";

/**
 * The rules every chain judges progress by, written once: the last block is fresh, the height
 * moves, the node is not too far behind the network, and only a healthy node may set the network's
 * reference. Chains differ only in words (a Nano "height" is a cemented count) and thresholds.
 */
export interface ProgressSpec {
  /** The height as the chain names it in a stall: "height", "cemented count", "peak height". */
  heightNoun: string;
  /** The height's short label inside a lag message: "height", "cemented". */
  lagNoun: string;
  stallAfterSec: number;
  maxLagBlocks: number;
  /** Further ahead of the network's reference than this: a wrong fork or a wrong network. */
  maxAheadBlocks: number;
  /** Whether the lag message names its limit. */
  showLagLimit?: boolean;
}

export const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * How far ahead of the reference a node may be, by default, in lag limits. Generous on purpose:
 * the reference is formed from reports up to an interval old, so a node just probed is a few
 * blocks ahead of it in the normal course; a wrong fork or network is thousands of blocks off.
 */
export const AHEAD_MULTIPLE = 20;

export const maxAheadOf = (rules: { maxAheadBlocks?: number }, maxLagBlocks: number): number =>
  rules.maxAheadBlocks ?? AHEAD_MULTIPLE * maxLagBlocks;

/** The last block is older than `maxAgeSec`: `what` names it ("last block", "last transaction block"). */
export function staleBlockReason(
  lastBlockAt: number | undefined,
  now: number,
  maxAgeSec: number,
  what = "last block",
): Reason | undefined {
  if (lastBlockAt === undefined) return undefined;
  const age = now - lastBlockAt;
  if (age <= maxAgeSec * 1000) return undefined;
  return {
    code: "stale_block",
    severity: "warn",
    message: `${what} is ${secs(age)} old (limit ${secs(maxAgeSec * 1000)})`,
  };
}

/**
 * Stall and lag for a node that reported `facts.height`. The reference is the network's
 * (ctx.networkHeight); `fallback` stands in when there is none (Nano: what the node's peers report).
 */
export function progressReasons(
  facts: ChainFacts,
  ctx: ChainContext,
  spec: ProgressSpec,
  fallback?: { reference: number | undefined; label: string },
): { reasons: Reason[]; heightChangedAt: number } {
  const reasons: Reason[] = [];
  let heightChangedAt = ctx.previous?.heightChangedAt ?? ctx.now;
  if (facts.height === undefined) return { reasons, heightChangedAt };
  const prev = ctx.previous?.height;
  if (prev === undefined || facts.height !== prev) heightChangedAt = ctx.now;
  const unchangedFor = ctx.now - heightChangedAt;
  if (unchangedFor > spec.stallAfterSec * 1000) {
    reasons.push({
      code: "stalled",
      severity: "warn",
      message: `stalled: ${spec.heightNoun} ${facts.height} unchanged for ${secs(unchangedFor)}`,
    });
  }
  if (ctx.networkHeight !== undefined && facts.height - ctx.networkHeight > spec.maxAheadBlocks) {
    reasons.push({
      code: "ahead",
      severity: "warn",
      message: `${facts.height - ctx.networkHeight} blocks ahead of the network (${spec.lagNoun} ${facts.height}, network ${ctx.networkHeight}): wrong fork or wrong network?`,
    });
  }
  const reference = ctx.networkHeight ?? fallback?.reference;
  const label = ctx.networkHeight === undefined ? (fallback?.label ?? "network") : "network";
  if (reference === undefined && ctx.networkShortOf !== undefined) {
    const { nodes, needed } = ctx.networkShortOf;
    reasons.push({
      code: "no_reference",
      severity: "info",
      message: `lag not judged: ${nodes} of the ${needed} nodes a network reference needs report a fresh ${spec.heightNoun}`,
    });
  }
  if (reference !== undefined && reference - facts.height > spec.maxLagBlocks) {
    const limit = spec.showLagLimit ? `; limit ${spec.maxLagBlocks}` : "";
    reasons.push({
      code: "lagging",
      severity: "warn",
      message: `lagging ${reference - facts.height} blocks behind the network (${spec.lagNoun} ${facts.height}, ${label} ${reference}${limit})`,
    });
  }
  return { reasons, heightChangedAt };
}

/** What the evaluator remembers for the next probe: the last height seen and when it last moved. */
export function progressMemory(facts: ChainFacts, ctx: ChainContext, heightChangedAt?: number): ChainMemory {
  return { height: facts.height ?? ctx.previous?.height, heightChangedAt };
}

/**
 * The height this result may contribute to the network's reference: only a node that looks fully
 * healthy (lagging aside) counts, so a stuck or forked node can never make the others look behind.
 */
export function referenceHeightOf(facts: ChainFacts, reasons: readonly Reason[]): number | undefined {
  const healthy = !reasons.some((r) => r.severity !== "info" && r.code !== "lagging");
  return facts.height !== undefined && healthy ? facts.height : undefined;
}
