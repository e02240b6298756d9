import type { z } from "zod";

/** A parse outcome whose failure is a short human sentence, ready for a `protocol` error. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const pathOf = (path: readonly PropertyKey[]) => (path.length === 0 ? "(root)" : path.map(String).join("."));

/** Whether `path` leads to an absent member of an object in `input` (zod's wording varies by type). */
function isAbsent(input: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return input === undefined;
  let at: unknown = input;
  for (const key of path.slice(0, -1)) {
    if (typeof at !== "object" || at === null) return false;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  const last = path[path.length - 1] as PropertyKey;
  return typeof at === "object" && at !== null && (at as Record<PropertyKey, unknown>)[last] === undefined;
}

/**
 * Summarises zod issues as "missing api_version, peers; last_added_block_info.height: expected
 * number" — the first few only, since a hostile payload can produce thousands.
 */
export function describeIssues(error: z.ZodError, input: unknown, max = 3): string {
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const issue of error.issues) {
    if (isAbsent(input, issue.path)) missing.push(pathOf(issue.path));
    else wrong.push(`${pathOf(issue.path)}: ${issue.message.replace(/^Invalid input: /, "")}`);
  }
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.slice(0, max).join(", ")}`);
  if (wrong.length > 0) parts.push(wrong.slice(0, max).join("; "));
  const shown = Math.min(missing.length, max) + Math.min(wrong.length, max);
  const rest = error.issues.length - shown;
  return parts.join("; ") + (rest > 0 ? ` (+${rest} more)` : "");
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, problem: describeIssues(r.error, input) };
}
