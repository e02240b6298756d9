/**
 * The syntax tree of one Gatus-style condition, e.g. `[BODY].result.peers[0].id == pat(node_*)`.
 * Positions are 0-based offsets into the condition text (`start` inclusive, `end` exclusive);
 * error messages turn them into 1-based columns.
 */

/** What a placeholder stands for; CONNECTED and CERTIFICATE_EXPIRATION are filled by TCP/TLS checks. */
export const PLACEHOLDERS = [
  "STATUS",
  "RESPONSE_TIME",
  "BODY",
  "CONNECTED",
  "CERTIFICATE_EXPIRATION",
] as const;
export type PlaceholderName = (typeof PLACEHOLDERS)[number];

export const COMPARATORS = ["==", "!=", "<", "<=", ">", ">="] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** `.key`, `["key"]` or `[index]` (a negative index counts from the end). */
export type PathSegment = { key: string } | { index: number };

interface Span {
  start: number;
  end: number;
}

export interface PlaceholderNode extends Span {
  type: "placeholder";
  name: PlaceholderName;
  path: PathSegment[];
}

/** `len(x)`: length of a string or array, or the key count of an object. */
export interface LenNode extends Span {
  type: "len";
  arg: PlaceholderNode;
}

/** `has(x)`: whether the path leads to a value (null counts as absent). */
export interface HasNode extends Span {
  type: "has";
  arg: PlaceholderNode;
}

/**
 * A constant. `number`: a bare decimal (`200`, `-1.5`, `1e3`); `string`: quoted; `word`: any other
 * bare text (`UP`, `true`, `live`, `48h`). The text is kept as written so big numbers compare exactly.
 */
export interface LiteralNode extends Span {
  type: "literal";
  kind: "number" | "string" | "word";
  text: string;
}

/** `pat(glob)`: `*` matches any run of characters, `?` exactly one. Right of == / != only. */
export interface PatternNode extends Span {
  type: "pattern";
  glob: string;
}

/** `any(a, b, …)`: equal to one of the constants. Right of == / != only. */
export interface AnyNode extends Span {
  type: "any";
  options: LiteralNode[];
}

/** Something that resolves to a value at evaluation time. */
export type ValueNode = PlaceholderNode | LenNode | HasNode;
export type Operand = ValueNode | LiteralNode | PatternNode | AnyNode;

export interface Condition {
  text: string;
  left: Operand;
  op: Comparator;
  /** Where the operator starts, for messages. */
  opStart: number;
  right: Operand;
}

export const isValueNode = (node: Operand): node is ValueNode =>
  node.type === "placeholder" || node.type === "len" || node.type === "has";

/** Whether evaluating the condition needs the response body (the probe reads it only then). */
export function usesBody(condition: Condition): boolean {
  const body = (node: Operand): boolean =>
    (node.type === "placeholder" && node.name === "BODY") ||
    ((node.type === "len" || node.type === "has") && node.arg.name === "BODY");
  return body(condition.left) || body(condition.right);
}
