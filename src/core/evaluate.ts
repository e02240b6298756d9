import type { ChainContext, ChainEvaluation } from "./chains/types.ts";
import { conditionReasons } from "./conditions/evaluate-result.ts";
import type { Monitor } from "./config/schema.ts";
import { versionDriftReason } from "./drift.ts";
import { evaluateCheck, judgesKey } from "./kinds/index.ts";
import type { ProbeError, ProbeResult } from "./result.ts";
import type { Reason, State, Verdict } from "./verdict.ts";

export interface Evaluation extends ChainEvaluation {
  verdict: Verdict;
}

const ERROR_TEXT: Record<ProbeError["kind"], string> = {
  refused: "connection refused",
  timeout: "timed out",
  dns: "name did not resolve",
  tls: "TLS handshake failed",
  http_status: "unexpected HTTP status",
  bad_body: "response is not what the node should send",
  too_large: "response exceeds the size limit",
  protocol: "protocol error",
  internal: "checker error",
  rate_limited: "rate limited by the endpoint",
  config: "the endpoint refuses what this monitor asks for",
  no_heartbeat: "no heartbeat in time",
  reported_down: "the job reported a failure",
};

/** Failures that describe us or the monitor's config, not the node. */
const NOT_THE_NODE = new Set<ProbeError["kind"]>(["internal", "rate_limited", "config"]);

function failureReason(error: ProbeError): Reason {
  const message = error.message || ERROR_TEXT[error.kind];
  return {
    code: error.kind,
    severity: NOT_THE_NODE.has(error.kind) ? "info" : "critical",
    message,
  };
}

export function stateFromReasons(reasons: Reason[], maintenance: boolean): State {
  if (maintenance) return "maintenance";
  if (reasons.some((r) => r.severity === "critical")) return "down";
  if (reasons.some((r) => r.severity === "warn")) return "degraded";
  return "up";
}

/**
 * One probe result → one vantage's instant verdict. A failed probe is `down`, except failures that
 * are not the node's (our errors, a proxy's rate limit, a config the endpoint refuses), which are
 * `unknown`: the checker failing is not the node failing.
 */
export function evaluateResult(monitor: Monitor, result: ProbeResult, ctx: ChainContext): Evaluation {
  if (!result.ok) {
    const error = result.error ?? { kind: "internal", message: "probe failed without a reason" };
    const notTheKey = judgesKey(monitor.check.kind);
    const reason = notTheKey
      ? {
          code: error.kind,
          severity: "info" as const,
          message: `network view unreadable: ${failureReason(error).message}`,
        }
      : failureReason(error);
    return {
      verdict: { state: notTheKey || NOT_THE_NODE.has(error.kind) ? "unknown" : "down", reasons: [reason] },
      reasons: [reason],
      maintenance: false,
      memory: ctx.previous ?? {},
    };
  }
  const chain = evaluateCheck(monitor.check, result.facts ?? {}, monitor.rules, ctx);
  const drift = versionDriftReason(result.facts?.version, monitor.rules, ctx.networkVersion);
  const reasons = [...chain.reasons, ...conditionReasons(result), ...(drift ? [drift] : [])];
  return { ...chain, reasons, verdict: { state: stateFromReasons(reasons, chain.maintenance), reasons } };
}
