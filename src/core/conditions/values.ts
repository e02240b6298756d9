/**
 * Value helpers for condition evaluation: exact comparison of decimal numbers written as text
 * (Nano sends every number as a string, and raw amounts exceed 2^53), durations, globs and a
 * bounded rendering of whatever a placeholder resolved to.
 */

/** A path that leads nowhere. Distinct from JSON null. */
export const MISSING: unique symbol = Symbol("missing");
export type Resolved = unknown;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const SCIENTIFIC = /^-?\d+(\.\d+)?[eE][+-]?\d+$/;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A number as decimal text, or undefined when the value is not numeric. Booleans are not numbers. */
export function numericText(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") {
    const t = value.trim();
    return t !== "" && (DECIMAL.test(t) || SCIENTIFIC.test(t)) ? t : undefined;
  }
  return undefined;
}

/** Milliseconds of a duration word such as 500ms, 30s, 5m, 48h, 7d. */
export function durationMs(word: string): number | undefined {
  const m = DURATION.exec(word);
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2] ?? "ms"] ?? 1);
}

/**
 * Compares two numbers given as text: exact for plain decimals of any length, by float for the
 * rare exponent form. Returns -1, 0 or 1.
 */
export function compareNumeric(a: string, b: string): -1 | 0 | 1 {
  const da = DECIMAL.exec(a);
  const db = DECIMAL.exec(b);
  if (!da || !db) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const [ia, fa] = normalise(da[2] ?? "0", da[3] ?? "");
  const [ib, fb] = normalise(db[2] ?? "0", db[3] ?? "");
  const zeroA = ia === "0" && fa === "";
  const zeroB = ib === "0" && fb === "";
  const negA = da[1] === "-" && !zeroA;
  const negB = db[1] === "-" && !zeroB;
  if (negA !== negB) return negA ? -1 : 1;
  const magnitude = compareMagnitude(ia, fa, ib, fb);
  return negA ? (-magnitude as -1 | 0 | 1) : magnitude;
}

function normalise(int: string, frac: string): [string, string] {
  return [int.replace(/^0+(?=\d)/, ""), frac.replace(/0+$/, "")];
}

function compareMagnitude(ia: string, fa: string, ib: string, fb: string): -1 | 0 | 1 {
  if (ia.length !== ib.length) return ia.length < ib.length ? -1 : 1;
  if (ia !== ib) return ia < ib ? -1 : 1;
  const len = Math.max(fa.length, fb.length);
  const pa = fa.padEnd(len, "0");
  const pb = fb.padEnd(len, "0");
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

/**
 * Glob match: `*` any run of characters (also none), `?` exactly one. Iterative with one
 * backtrack point, so a hostile pattern cannot make it explode the way a regex can.
 */
export function globMatch(glob: string, text: string): boolean {
  const g = [...glob];
  const t = [...text];
  let gi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    const gc = g[gi];
    if (gc === "?" || (gc !== undefined && gc !== "*" && gc === t[ti])) {
      gi++;
      ti++;
    } else if (gc === "*") {
      star = gi++;
      mark = ti;
    } else if (star !== -1) {
      gi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (g[gi] === "*") gi++;
  return gi === g.length;
}

/** The text a value compares as with pat() and with plain equality: strings raw, the rest as JSON. */
export function plainText(value: Resolved): string {
  if (value === MISSING) return "";
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** For people: strings quoted, objects as compact JSON, a missing path as (missing); at most `max` chars. */
export function renderValue(value: Resolved, max = 200): string {
  let text: string;
  if (value === MISSING || value === undefined) text = "(missing)";
  // Clip before quoting: a body can be a megabyte of text.
  else if (typeof value === "string") text = JSON.stringify(value.slice(0, max));
  else text = plainText(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
