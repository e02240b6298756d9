import { type Condition, usesBody } from "../core/conditions/ast.ts";
import { type ConditionInput, evaluateConditions } from "../core/conditions/evaluate.ts";
import { formatConditionError, parseCondition } from "../core/conditions/parser.ts";
import type { HttpCheck } from "../core/kinds/http.ts";
import { boundedFetch } from "./bounded-fetch.ts";
import type { Probe } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";

/**
 * Parses a check's conditions. Config validation has already parsed them, so a failure here means
 * the config skipped validation: a `config` failure (unknown), never a crash.
 */
export function parseConditions(conditions: readonly string[]): Condition[] {
  return conditions.map((text, i) => {
    const parsed = parseCondition(text);
    // "conditions[0]" would read as a bracketed IPv6 address to the redactor; count from 1 instead.
    if (!parsed.ok) throw new ProbeFailure("config", `condition ${i + 1}: ${formatConditionError(parsed)}`);
    return parsed.ast;
  });
}

/** The body as conditions see it: parsed JSON when it is JSON, else the text. */
export function bodyInput(text: string): Pick<ConditionInput, "body" | "bodyIsJson" | "bodyText"> {
  try {
    return { body: JSON.parse(text) as unknown, bodyIsJson: true, bodyText: text };
  } catch {
    return { body: text, bodyIsJson: false, bodyText: text };
  }
}

/**
 * Any HTTP(S) endpoint judged by user conditions (Gatus style). `ok` means the exchange worked:
 * an answer came, whatever its status; the status, latency and body are for the conditions, whose
 * results travel in `conditions` (a failed one makes the verdict critical). Redirects are not
 * followed, so `[STATUS] == 301` can be checked. The body is read only when a condition needs it.
 */
export const httpProbe: Probe<HttpCheck> = async (check, run) => {
  const conditions = parseConditions(check.conditions);
  const res = await boundedFetch(
    check.url,
    {
      method: check.method,
      headers: { accept: "application/json, text/plain;q=0.9, */*;q=0.8" },
      body: check.body,
      maxBodyBytes: check.maxBodyBytes,
      acceptStatus: () => true,
    },
    run.options,
    run.deadline,
  );
  const latencyMs = res.latencyMs;
  run.latencyMs = latencyMs;
  let input: ConditionInput = { status: res.status, responseTimeMs: latencyMs };
  if (check.method !== "HEAD" && conditions.some(usesBody)) {
    input = { ...input, ...bodyInput(await res.text()) };
  } else {
    res.cancel();
  }
  return { ok: true, latencyMs, conditions: evaluateConditions(conditions, input) };
};
