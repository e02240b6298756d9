import type { ChainRules } from "../config/rules.ts";
import type { ChainFacts } from "../result.ts";
import type { Reason } from "../verdict.ts";
import type { ChainContext, ChainEvaluation } from "./types.ts";

/**
 * Rules every chain applies the same way: the node is on the network it should be (`what` names
 * it as the chain does: Casper's chain, Nano's network), and it has enough peers.
 */
export function networkAndPeerReasons(
  facts: ChainFacts,
  rules: ChainRules,
  what: "chain" | "network",
): Reason[] {
  const reasons: Reason[] = [];
  if (
    rules.expectChainName !== undefined &&
    facts.chainName !== undefined &&
    facts.chainName !== rules.expectChainName
  ) {
    reasons.push({
      code: "wrong_network",
      severity: "critical",
      message: `node reports ${what} '${facts.chainName}', expected '${rules.expectChainName}'`,
    });
  }
  if (facts.peers !== undefined && facts.peers < rules.minPeers) {
    reasons.push({
      code: "few_peers",
      severity: "warn",
      message: `${facts.peers} peers connected (minimum ${rules.minPeers})`,
    });
  }
  return reasons;
}

/** For kinds whose facts say only which network the node is on (peering handshakes): that rule alone. */
export function networkRulesOnly(facts: ChainFacts, rules: ChainRules, ctx: ChainContext): ChainEvaluation {
  return {
    reasons: networkAndPeerReasons(facts, rules, "network"),
    maintenance: false,
    memory: ctx.previous ?? {},
  };
}

/**
 * A node pinned by id (`check.nodeId`) answered with another identity: someone else is behind the
 * address (a moved IP, a hijacked DNS name, a swapped machine). `matches` compares the forms.
 */
export function nodeIdReason(
  expected: string | undefined,
  actual: string | undefined,
  matches: (expected: string, actual: string) => boolean,
): Reason | undefined {
  if (expected === undefined || actual === undefined || matches(expected, actual)) return undefined;
  return {
    code: "wrong_node",
    severity: "critical",
    message: `node identifies as ${actual.length > 24 ? `${actual.slice(0, 12)}…${actual.slice(-8)}` : actual}, expected ${expected}`,
  };
}
