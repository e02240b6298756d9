import type { ChainContext, ChainEvaluation } from "../chains/types.ts";
import type { AgentCheck } from "../config/checks-agent.ts";
import type { ChainRules } from "../config/rules.ts";
import type { ChainFacts } from "../result.ts";
import type { Reason } from "../verdict.ts";

/** Chia: 18.75 s per block on average, but gaps of a minute or two are normal; 180 s is not. */
const CHIA_STALL_AFTER_SEC = 180;
/** Blocks behind the network before a Chia node counts as lagging, unless rules.maxLagBlocks says. */
const CHIA_MAX_LAG_BLOCKS = 5;

const days = (d: number) => (Math.abs(d) >= 10 ? Math.round(d).toString() : d.toFixed(1));
const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

function certReasons(check: Extract<AgentCheck, { kind: "tls-cert" }>, facts: ChainFacts): Reason[] {
  const cert = facts.cert;
  if (!cert) return [];
  const reasons: Reason[] = [];
  const leafIsEarliest = cert.earliestNotAfter >= cert.notAfter;
  const left = cert.earliestDaysLeft;
  const which = leafIsEarliest ? "certificate" : "a certificate in the chain";
  if (left < check.criticalDays) {
    reasons.push({
      code: "cert_expiring",
      severity: "critical",
      message: `${which} expires in ${days(left)} days (critical under ${check.criticalDays})`,
    });
  } else if (left < check.warnDays) {
    reasons.push({
      code: "cert_expiring",
      severity: "warn",
      message: `${which} expires in ${days(left)} days (warning under ${check.warnDays})`,
    });
  }
  if (cert.selfSigned) {
    reasons.push({ code: "cert_self_signed", severity: "info", message: "self-signed certificate" });
  } else if (!cert.trusted) {
    reasons.push({
      code: "cert_untrusted",
      severity: "info",
      message: check.caFile
        ? "chain does not verify against caFile"
        : "chain does not verify against system roots",
    });
  }
  return reasons;
}

function networkReason(facts: ChainFacts, rules: ChainRules): Reason[] {
  if (rules.expectChainName === undefined || facts.chainName === undefined) return [];
  if (facts.chainName === rules.expectChainName) return [];
  return [
    {
      code: "wrong_network",
      severity: "critical",
      message: `node reports network '${facts.chainName}', expected '${rules.expectChainName}'`,
    },
  ];
}

/** Chia full node: synced flag, long sync, peak height moving, lag behind the network. */
function chiaReasons(facts: ChainFacts, rules: ChainRules, ctx: ChainContext) {
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
  let heightChangedAt = ctx.previous?.heightChangedAt ?? ctx.now;
  if (facts.height !== undefined) {
    if (ctx.previous?.height === undefined || facts.height !== ctx.previous.height) heightChangedAt = ctx.now;
    const stallAfterSec = rules.stallAfterSec ?? CHIA_STALL_AFTER_SEC;
    const unchangedFor = ctx.now - heightChangedAt;
    if (unchangedFor > stallAfterSec * 1000) {
      reasons.push({
        code: "stalled",
        severity: "warn",
        message: `stalled: peak height ${facts.height} unchanged for ${secs(unchangedFor)}`,
      });
    }
    const maxLag = rules.maxLagBlocks ?? CHIA_MAX_LAG_BLOCKS;
    if (ctx.networkHeight !== undefined && ctx.networkHeight - facts.height > maxLag) {
      reasons.push({
        code: "lagging",
        severity: "warn",
        message: `lagging ${ctx.networkHeight - facts.height} blocks behind the network (height ${facts.height}, network ${ctx.networkHeight})`,
      });
    }
  }
  if (rules.maxBlockAgeSec !== undefined && facts.lastBlockAt !== undefined) {
    const age = ctx.now - facts.lastBlockAt;
    if (age > rules.maxBlockAgeSec * 1000) {
      reasons.push({
        code: "stale_block",
        severity: "warn",
        message: `last transaction block is ${secs(age)} old (limit ${secs(rules.maxBlockAgeSec * 1000)})`,
      });
    }
  }
  return { reasons, heightChangedAt };
}

/**
 * Health of a successful agent probe from its facts. Pure, like the chain evaluators: the probe
 * reports what it saw (days left, sync flags, network), this decides what that means. Failed
 * probes never get here (evaluateResult turns them into down or unknown first).
 */
export function evaluateAgentCheck(
  check: AgentCheck,
  facts: ChainFacts,
  rules: ChainRules,
  ctx: ChainContext,
): ChainEvaluation {
  const memory = {
    height: facts.height ?? ctx.previous?.height,
    heightChangedAt: ctx.previous?.heightChangedAt,
  };
  switch (check.kind) {
    case "tls-cert":
      return { reasons: certReasons(check, facts), maintenance: false, memory };
    case "casper-p2p": {
      const reasons = networkReason(facts, rules);
      if (facts.syncing) {
        reasons.push({
          code: "syncing",
          severity: "warn",
          message: "node says it is syncing (handshake is_syncing)",
        });
      }
      return { reasons, maintenance: false, memory };
    }
    case "nano-peering":
    case "nano-udp-keepalive":
      return { reasons: networkReason(facts, rules), maintenance: false, memory };
    case "chia-rpc": {
      const { reasons, heightChangedAt } = chiaReasons(facts, rules, ctx);
      const healthy =
        facts.height !== undefined && !reasons.some((r) => r.severity !== "info" && r.code !== "lagging");
      return {
        reasons,
        maintenance: false,
        memory: { height: facts.height ?? ctx.previous?.height, heightChangedAt },
        referenceHeight: healthy ? facts.height : undefined,
      };
    }
    case "chia-daemon":
    case "udp":
      return { reasons: [], maintenance: false, memory };
  }
}
