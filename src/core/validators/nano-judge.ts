import type { ChainContext, ChainEvaluation } from "../chains/types.ts";
import type { Reason } from "../verdict.ts";
import type { NanoRepresentativeFacts } from "./facts.ts";

export interface NanoRepresentativeRules {
  /** Weight below this (raw) is degraded. */
  minWeightRaw?: bigint;
  expectPrincipal: boolean;
  /** How long the nodes' representatives_online answer may be cached (NanoRPCProxy: 300 s). */
  onlineCacheSec: number;
}

const RAW_PER_NANO = 10n ** 30n;
const nano = (raw: bigint) => (raw / RAW_PER_NANO).toLocaleString("en-US");
const shortAccount = (a: string) => `${a.slice(0, 11)}…${a.slice(-4)}`;
const span = (ms: number) => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/**
 * A Nano representative as other nodes see it. Missing from every answering node's
 * representatives_online is `degraded` at first and `down` once it has stayed missing for longer
 * than those answers may be cached: a cached list cannot show a representative back online any
 * sooner, so an earlier `down` could be a restart already over. Weight below the floor, or below
 * the principal threshold (0.1 % of online stake) when principal status is expected, is a warning.
 */
export function judgeNanoRepresentative(
  f: NanoRepresentativeFacts,
  rules: NanoRepresentativeRules,
  ctx: ChainContext,
): ChainEvaluation {
  const reasons: Reason[] = [];
  const who = shortAccount(f.account);
  const memory = { ...(ctx.previous ?? {}) };
  if (f.online) delete memory.absentSince;
  else {
    memory.absentSince ??= ctx.now;
    const absentMs = ctx.now - memory.absentSince;
    const confirmed = absentMs >= rules.onlineCacheSec * 1000;
    reasons.push({
      code: "representative_offline",
      severity: confirmed ? "critical" : "warn",
      message: confirmed
        ? `${who} is not in representatives_online of ${f.asked} node${f.asked === 1 ? "" : "s"} for ${span(absentMs)}`
        : `${who} is not in representatives_online of ${f.asked} node${f.asked === 1 ? "" : "s"}; down if still missing after the ${rules.onlineCacheSec} s their answers may be cached`,
    });
  }
  const weight = BigInt(f.weight);
  if (rules.minWeightRaw !== undefined && weight < rules.minWeightRaw)
    reasons.push({
      code: "weight_below_floor",
      severity: "warn",
      message: `${who}'s voting weight ${nano(weight)} Nano is below the floor of ${nano(rules.minWeightRaw)} Nano`,
    });
  if (rules.expectPrincipal && f.principal === false)
    reasons.push({
      code: "not_principal",
      severity: "warn",
      message: `${who} is no longer a principal representative (weight under 0.1 % of online stake)`,
    });
  if (f.seenBy > 0 && f.seenBy < f.asked)
    reasons.push({
      code: "sources_partial",
      severity: "info",
      message: `online as seen by ${f.seenBy} of ${f.asked} nodes`,
    });
  return { reasons, maintenance: false, memory };
}

/** Principal representative: weight ≥ 0.1 % of the online stake (confirmation_quorum). */
export const isPrincipal = (weightRaw: bigint, onlineStakeRaw: bigint): boolean =>
  weightRaw * 1000n >= onlineStakeRaw;
