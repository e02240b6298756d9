import { evaluateConditions } from "../core/conditions/evaluate.ts";
import type { JsonRpcCheck } from "../core/config/checks-nano-generic.ts";
import type { ProbeResult } from "../core/result.ts";
import type { ProbeOptions } from "./contract.ts";
import { startDeadline } from "./deadline.ts";
import { parseConditions } from "./http.ts";
import { jsonRpcCall } from "./json-rpc.ts";
import { failedResult } from "./outcome.ts";
import { targetOfUrl } from "./target.ts";

/**
 * One JSON-RPC 2.0 call to any endpoint, judged by user conditions. The call itself must work
 * (HTTP 2xx, a JSON-RPC 2.0 envelope with our id, no `error` member: the same rules as the Casper
 * RPC probe, failing as http_status / bad_body / protocol); then the conditions see the whole
 * response as [BODY], so `[BODY].result.peers[0].id` reaches into the result.
 */
export const jsonRpcGenericProbe = async (
  check: JsonRpcCheck,
  options: ProbeOptions,
  signal: AbortSignal,
): Promise<ProbeResult> => {
  const deadline = startDeadline(options.timeoutMs, signal);
  const ctx = { deadline, ...targetOfUrl(check.url) };
  let latencyMs: number | undefined;
  try {
    const conditions = parseConditions(check.conditions);
    const answer = await jsonRpcCall(check, check.method, options, deadline, check.params);
    latencyMs = answer.latencyMs;
    const results = evaluateConditions(conditions, {
      status: answer.status,
      responseTimeMs: latencyMs,
      body: answer.response,
      bodyIsJson: true,
    });
    return { ok: true, latencyMs, conditions: results };
  } catch (err) {
    return failedResult(err, ctx, latencyMs);
  } finally {
    deadline.dispose();
  }
};
