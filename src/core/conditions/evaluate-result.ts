import type { ProbeResult } from "../result.ts";
import type { Reason } from "../verdict.ts";
import { explainCondition } from "./evaluate.ts";

/** Keeps a reason readable when many conditions fail at once. */
const MAX_MESSAGE = 600;

/**
 * The verdict side of user conditions: every failed condition (false, or not evaluable) makes the
 * result critical. One reason lists them all, each with the value it saw, e.g.
 * `condition failed: [BODY].result.count (= "98") > 100`. One reason, not one per condition,
 * because reasons are merged per code across vantages and a single code keeps incidents stable
 * when a different condition of the same monitor starts failing.
 */
export function conditionReasons(result: ProbeResult): Reason[] {
  const failed = (result.conditions ?? []).filter((c) => !c.ok);
  if (failed.length === 0) return [];
  const explained = failed.map(explainCondition);
  const head = failed.length === 1 ? "condition failed: " : `${failed.length} conditions failed: `;
  let message = head + explained.join("; ");
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE - 1)}…`;
  return [{ code: "condition_failed", severity: "critical", message }];
}
