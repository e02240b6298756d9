import type { z } from "zod";
import type { ChainContext, ChainEvaluation } from "../chains/types.ts";
import type { ChainRules } from "../config/rules.ts";
import type { ChainFacts } from "../result.ts";

/**
 * Where a kind's results come from: the Worker's probes (from the regions), the companion agent,
 * or calls to the push endpoint (the monitored job reports itself; no one probes it).
 */
export type Runtime = "worker" | "agent" | "push";

/** What a kind's evaluation gets: the check as configured, the probe's facts, the monitor's rules. */
export type KindEvaluate<C> = (
  check: C,
  facts: ChainFacts,
  rules: ChainRules,
  ctx: ChainContext,
) => ChainEvaluation;

/** A problem with a monitor that only this kind can see (a window longer than the timeout …). */
export interface KindIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Everything the project knows about one check kind, in one place: its config schema, the chain it
 * belongs to (none: any chain), where its probe runs, how its facts are judged, and how the README
 * describes it. The config union, the chain checks, the evaluate dispatch, both probe tables and
 * the README's kind table are all derived from the list of descriptors (kinds/index.ts).
 */
export interface KindDescriptor<
  K extends string = string,
  S extends z.ZodType<{ kind: K }> = z.ZodType<{ kind: K }>,
  R extends readonly Runtime[] = readonly Runtime[],
> {
  kind: K;
  schema: S;
  chain?: "casper" | "nano" | "chia";
  runsIn: R;
  /**
   * Validator kinds: the key (validator, representative, farmer) the check judges, not the
   * endpoints it asks. A probe that fails to read them is `unknown` with the reason, never `down`
   * for the validator; reports and the status page list the monitor under its key.
   */
  subject?: (check: z.output<S>) => string;
  evaluate: KindEvaluate<z.output<S>>;
  /** Checks across the monitor's fields that the check schema alone cannot see. */
  monitorIssues?: (check: z.output<S>, monitor: { timeoutMs: number }) => KindIssue[];
  /** The README's kind table: what the probe does, and an example `check` (or where to read more). */
  doc: { what: string; example: string };
}

/** Keeps the literal types of a descriptor (kind, runsIn) so the tables built from it are checked. */
export function defineKind<
  const K extends string,
  S extends z.ZodType<{ kind: K }>,
  const R extends readonly Runtime[],
>(d: KindDescriptor<K, S, R>): KindDescriptor<K, S, R> {
  return d;
}

/** Kinds with no chain rules of their own: the facts carry nothing to judge. */
export const noChainRules: KindEvaluate<unknown> = (_check, _facts, _rules, ctx) => ({
  reasons: [],
  maintenance: false,
  memory: ctx.previous ?? {},
});
