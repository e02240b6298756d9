import { evaluateConditions } from "../core/conditions/evaluate.ts";
import type { JsonRpcCheck } from "../core/kinds/json-rpc.ts";
import type { Probe } from "./contract.ts";
import { parseConditions } from "./http.ts";
import { jsonRpcCall } from "./json-rpc.ts";

/**
 * One JSON-RPC 2.0 call to any endpoint, judged by user conditions. The call itself must work
 * (HTTP 2xx, a JSON-RPC 2.0 envelope with our id, no `error` member: the same rules as the Casper
 * RPC probe, failing as http_status / bad_body / protocol); then the conditions see the whole
 * response as [BODY], so `[BODY].result.peers[0].id` reaches into the result.
 */
export const jsonRpcGenericProbe: Probe<JsonRpcCheck> = async (check, run) => {
  const conditions = parseConditions(check.conditions);
  const answer = await jsonRpcCall(check, check.method, run.options, run.deadline, check.params);
  const latencyMs = answer.latencyMs;
  run.latencyMs = latencyMs;
  const results = evaluateConditions(conditions, {
    status: answer.status,
    responseTimeMs: latencyMs,
    body: answer.response,
    bodyIsJson: true,
  });
  return { ok: true, latencyMs, conditions: results };
};
