import type { ConditionResult } from "../result.ts";
import {
  type Comparator,
  type Condition,
  isValueNode,
  type Operand,
  type PlaceholderNode,
  type ValueNode,
} from "./ast.ts";
import { formatConditionError, parseCondition } from "./parser.ts";
import {
  compareNumeric,
  durationMs,
  globMatch,
  MISSING,
  numericText,
  plainText,
  type Resolved,
  renderValue,
} from "./values.ts";

/** What a condition is evaluated against; a probe fills what it observed. */
export interface ConditionInput {
  status?: number;
  responseTimeMs?: number;
  /** The body parsed as JSON, or its text when it is not JSON (a path into text fails). */
  body?: unknown;
  /** Whether `body` is parsed JSON (default: true unless `body` is a string). */
  bodyIsJson?: boolean;
  /** Raw body text, which `[BODY]` without a path compares as (so pat() sees the page as sent). */
  bodyText?: string;
  connected?: boolean;
  certificateExpiresInMs?: number;
}

const MAX_ACTUAL = 200;
const MAX_ERROR = 300;

class ConditionEvalError extends Error {
  readonly actual: string | undefined;
  constructor(message: string, actual?: string) {
    super(message);
    this.actual = actual;
  }
}

/** Evaluates one condition (text or parsed) against a response. Never throws. */
export function evaluateCondition(condition: string | Condition, input: ConditionInput): ConditionResult {
  let ast: Condition;
  if (typeof condition === "string") {
    const parsed = parseCondition(condition);
    if (!parsed.ok) {
      return {
        condition: clip(condition, 500),
        ok: false,
        error: clip(formatConditionError(parsed), MAX_ERROR),
      };
    }
    ast = parsed.ast;
  } else {
    ast = condition;
  }
  const text = clip(ast.text, 500);
  // The value side shown to people: the left one, unless it is a constant.
  const shown: ValueNode | undefined = isValueNode(ast.left)
    ? ast.left
    : isValueNode(ast.right)
      ? ast.right
      : undefined;
  let actual: string | undefined;
  try {
    const left = resolveOperand(ast.left, input, ast.text);
    const right = resolveOperand(ast.right, input, ast.text);
    const shownSide = shown === ast.left ? left : right;
    if (shown !== undefined && shownSide.kind === "value") actual = renderValue(shownSide.value, MAX_ACTUAL);
    const ok = compare(ast, left, right);
    return actual === undefined ? { condition: text, ok } : { condition: text, ok, actual };
  } catch (err) {
    if (!(err instanceof ConditionEvalError)) throw err;
    const shownActual = err.actual ?? actual;
    return {
      condition: text,
      ok: false,
      ...(shownActual === undefined ? {} : { actual: shownActual }),
      error: clip(err.message, MAX_ERROR),
    };
  }
}

export function evaluateConditions(
  conditions: readonly (string | Condition)[],
  input: ConditionInput,
): ConditionResult[] {
  return conditions.map((c) => evaluateCondition(c, input));
}

const source = (node: Operand, text: string) => text.slice(node.start, node.end);

/** One side of a comparison: a resolved value, or a constant as written. */
type Side =
  | { kind: "value"; value: Resolved }
  | { kind: "const"; node: Extract<Operand, { type: "literal" | "pattern" | "any" }> };

function resolveOperand(node: Operand, input: ConditionInput, text: string): Side {
  switch (node.type) {
    case "placeholder":
      return { kind: "value", value: resolvePlaceholder(node, input, text) };
    case "len": {
      const v = resolvePlaceholder(node.arg, input, text);
      const what = source(node.arg, text);
      if (v === MISSING || v === undefined)
        throw new ConditionEvalError(`${what} is missing`, renderValue(MISSING));
      if (typeof v === "string" || Array.isArray(v)) return { kind: "value", value: v.length };
      if (typeof v === "object" && v !== null) return { kind: "value", value: Object.keys(v).length };
      throw new ConditionEvalError(
        `len() needs a string, array or object, but ${what} is ${v === null ? "null" : typeof v}`,
        renderValue(v, MAX_ACTUAL),
      );
    }
    case "has": {
      const v = resolvePlaceholder(node.arg, input, text);
      return { kind: "value", value: v !== MISSING && v !== undefined && v !== null };
    }
    default:
      return { kind: "const", node };
  }
}

function resolvePlaceholder(node: PlaceholderNode, input: ConditionInput, text: string): Resolved {
  const unavailable = () => new ConditionEvalError(`[${node.name}] is not available for this check`);
  switch (node.name) {
    case "STATUS":
      if (input.status === undefined) throw unavailable();
      return input.status;
    case "RESPONSE_TIME":
      if (input.responseTimeMs === undefined) throw unavailable();
      return input.responseTimeMs;
    case "CONNECTED":
      if (input.connected === undefined) throw unavailable();
      return input.connected;
    case "CERTIFICATE_EXPIRATION":
      if (input.certificateExpiresInMs === undefined) throw unavailable();
      return input.certificateExpiresInMs;
    case "BODY":
      break;
  }
  if (input.body === undefined && input.bodyText === undefined)
    throw new ConditionEvalError("the response has no body");
  if (node.path.length === 0) return input.bodyText ?? input.body;
  const isJson = input.bodyIsJson ?? typeof input.body !== "string";
  if (!isJson || input.body === undefined) {
    throw new ConditionEvalError(`${source(node, text)} needs a JSON body, but the body is not JSON`);
  }
  let at: unknown = input.body;
  for (const seg of node.path) {
    if ("index" in seg) {
      if (!Array.isArray(at)) return MISSING;
      const i = seg.index < 0 ? at.length + seg.index : seg.index;
      if (i < 0 || i >= at.length) return MISSING;
      at = at[i];
    } else if (Array.isArray(at) && /^\d+$/.test(seg.key)) {
      const i = Number(seg.key);
      if (i >= at.length) return MISSING;
      at = at[i];
    } else if (typeof at === "object" && at !== null && !Array.isArray(at) && Object.hasOwn(at, seg.key)) {
      at = (at as Record<string, unknown>)[seg.key];
    } else {
      return MISSING;
    }
  }
  return at;
}

const isNumericValue = (s: Side) => s.kind === "value" && numericText(s.value) !== undefined;

/** A side as a number in text form, or undefined. A duration word counts when the other side is a number. */
function asNumber(side: Side, otherNumeric: boolean): string | undefined {
  if (side.kind === "value") return numericText(side.value);
  if (side.node.type !== "literal") return undefined;
  const n = numericText(side.node.text);
  if (n !== undefined) return n;
  if (side.node.kind === "word" && otherNumeric) {
    const ms = durationMs(side.node.text);
    if (ms !== undefined) return String(ms);
  }
  return undefined;
}

function compare(ast: Condition, left: Side, right: Side): boolean {
  const { op } = ast;
  for (const [side, node] of [
    [left, ast.left],
    [right, ast.right],
  ] as const) {
    if (side.kind === "value" && side.value === MISSING) {
      throw new ConditionEvalError(`${source(node, ast.text)} is missing`, renderValue(MISSING));
    }
  }
  if (right.kind === "const" && right.node.type !== "literal") {
    const value = left.kind === "value" ? left.value : undefined;
    const match =
      right.node.type === "pattern"
        ? globMatch(right.node.glob, plainText(value))
        : right.node.options.some((o) => equal(left, { kind: "const", node: o }));
    return op === "==" ? match : !match;
  }
  if (op === "==" || op === "!=") {
    const eq = equal(left, right);
    return op === "==" ? eq : !eq;
  }
  const a = asNumber(left, isNumericValue(right));
  const b = asNumber(right, isNumericValue(left));
  if (a === undefined || b === undefined) {
    const bad = a === undefined ? ast.left : ast.right;
    throw new ConditionEvalError(
      `${source(bad, ast.text)} is not a number, so it cannot be compared with ${op}`,
    );
  }
  return ordered(op, compareNumeric(a, b));
}

/**
 * Equality: numerically when both sides are numbers (a bare constant, a number, a numeric string),
 * so `"0100" == 100` and big Nano amounts compare exactly; otherwise by text. A quoted constant
 * always compares as text.
 */
function equal(a: Side, b: Side): boolean {
  const quoted = (s: Side) => s.kind === "const" && s.node.type === "literal" && s.node.kind === "string";
  if (!quoted(a) && !quoted(b)) {
    const aNum = asNumber(a, isNumericValue(b));
    const bNum = asNumber(b, isNumericValue(a));
    if (aNum !== undefined && bNum !== undefined) return compareNumeric(aNum, bNum) === 0;
  }
  return textOf(a) === textOf(b);
}

const textOf = (s: Side) =>
  s.kind === "value" ? plainText(s.value) : s.node.type === "literal" ? s.node.text : "";

function ordered(op: Comparator, c: -1 | 0 | 1): boolean {
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    case "==":
      return c === 0;
    case "!=":
      return c !== 0;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The condition with the value it saw spliced in after the value side, so a failure explains
 * itself: `[BODY].result.count (= "98") > 100`. Evaluation errors are appended.
 */
export function explainCondition(result: ConditionResult): string {
  let text = result.condition;
  const parsed = parseCondition(result.condition);
  if (parsed.ok && result.actual !== undefined) {
    const { left, right } = parsed.ast;
    const at = isValueNode(left) ? left.end : isValueNode(right) ? right.end : undefined;
    if (at !== undefined) text = `${text.slice(0, at)} (= ${result.actual})${text.slice(at)}`;
  }
  return result.error ? `${text}: ${result.error}` : text;
}
