import type { Reason } from "../verdict.ts";
import type { CasperValidatorFacts, EraTally } from "./facts.ts";
import { poissonAtMost } from "./poisson.ts";

/** Expected proposals below this say too little to judge a shortfall (a small validator's dry spell). */
export const MIN_EXPECTED_PROPOSALS = 3;
/** A shortfall is judged only when chance alone would explain it less than this often. */
export const SHORTFALL_P = 0.01;

const shortKey = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`;

/** The era tally worth judging: this era's once it expects enough blocks, else the last era's. */
function tallyToJudge(f: CasperValidatorFacts): EraTally | undefined {
  if (f.proposals && f.proposals.expected >= MIN_EXPECTED_PROPOSALS) return f.proposals;
  if (f.lastEra && f.lastEra.expected >= MIN_EXPECTED_PROPOSALS) return f.lastEra;
  return undefined;
}

/**
 * A Casper validator as the network sees it. Out of the era's set, banned or seen faulty is
 * critical (delegators earn nothing); an eviction at the era's end, `CannotPropose`, a node that
 * runs another key or none, or proposals far below the key's share are warnings.
 */
export function judgeCasperValidator(f: CasperValidatorFacts): Reason[] {
  const reasons: Reason[] = [];
  const who = shortKey(f.key);
  if (!f.inEra)
    reasons.push({
      code: "not_in_validator_set",
      severity: "critical",
      message: `${who} is not in era ${f.era}'s validator set`,
    });
  else if (!f.inNextEra)
    reasons.push({
      code: "leaving_validator_set",
      severity: "warn",
      message: `${who} is not in era ${f.era + 1}'s validator set: evicted when era ${f.era} ends`,
    });
  const recent = f.change && f.change.era >= f.era - 1 ? f.change : undefined;
  if (recent?.status === "Banned")
    reasons.push({ code: "banned", severity: "critical", message: `${who} was banned in era ${recent.era}` });
  if (recent?.status === "SeenAsFaulty")
    reasons.push({
      code: "seen_as_faulty",
      severity: "critical",
      message: `${who} was seen as faulty (equivocation) in era ${recent.era}`,
    });
  if (f.faultEra !== undefined && f.faultEra >= f.era - 1)
    reasons.push({
      code: "fault_event",
      severity: "critical",
      message: `${who} equivocated: a Fault event in era ${f.faultEra}`,
    });
  if (f.faultsError)
    reasons.push({ code: "faults_unreadable", severity: "info", message: `Fault events: ${f.faultsError}` });
  if (recent?.status === "CannotPropose")
    reasons.push({
      code: "cannot_propose",
      severity: "warn",
      message: `${who} is marked CannotPropose in era ${recent.era}`,
    });
  if (f.node?.error)
    reasons.push({
      code: "node_unreadable",
      severity: "info",
      message: `validator node's status: ${f.node.error}`,
    });
  else if (f.node && f.node.key !== undefined && f.node.key?.toLowerCase() !== f.key)
    reasons.push({
      code: "node_runs_other_key",
      severity: "warn",
      message: f.node.key
        ? `the validator node signs with ${shortKey(f.node.key)}, not ${who}`
        : "the validator node runs no signing key",
    });
  else if (f.node && f.inEra && f.node.roundLength === null)
    reasons.push({
      code: "node_not_validating",
      severity: "warn",
      message: "the validator node reports no round length: it is not taking part in consensus",
    });
  const tally = tallyToJudge(f);
  if (f.inEra && tally && poissonAtMost(tally.proposed, tally.expected) < SHORTFALL_P) {
    const which = tally === f.proposals ? "this era" : `in era ${tally.era}`;
    reasons.push({
      code: "not_proposing",
      severity: "warn",
      message: `proposed ${tally.proposed} of ~${Math.round(tally.expected)} expected blocks ${which} (${tally.blocks} blocks read)`,
    });
  }
  if (f.sources.answered < f.sources.asked)
    reasons.push({
      code: "sources_partial",
      severity: "info",
      message: `${f.sources.answered} of ${f.sources.asked} network endpoints answered`,
    });
  return reasons;
}
