import {
  COMPARATORS,
  type Comparator,
  type Condition,
  isValueNode,
  type LiteralNode,
  type Operand,
  type PathSegment,
  PLACEHOLDERS,
  type PlaceholderName,
  type PlaceholderNode,
} from "./ast.ts";
import { ConditionSyntaxError, lex, type Token } from "./lexer.ts";

/**
 * Grammar (recursive descent over the lexer's tokens):
 *
 *   condition   := operand comparator operand EOF
 *   operand     := placeholder | func | literal
 *   placeholder := "[" NAME "]" path*            (a path only after [BODY], written without spaces)
 *   path        := "." key | "[" (integer | string) "]"
 *   func        := ("len" | "has") "(" placeholder ")"
 *                | "pat" "(" glob ")"             (right of == / != only)
 *                | "any" "(" literal ("," literal)* ")"   (right of == / != only)
 *   literal     := number | string | word
 */

export type ParseResult = { ok: true; ast: Condition } | { ok: false; column: number; message: string };

/** Longest condition accepted (the result schema stores conditions up to 500 characters). */
export const MAX_CONDITION_LENGTH = 500;
const MAX_PATH_SEGMENTS = 32;
const MAX_ANY_OPTIONS = 32;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const INTEGER = /^-?\d{1,9}$/;
const FUNCTIONS = new Set(["len", "has", "pat", "any"]);

/** "at column 14: expected a comparison operator …" */
export const formatConditionError = (e: { column: number; message: string }) =>
  `at column ${e.column}: ${e.message}`;

/**
 * Parses, once per text: a monitor's conditions are parsed for every probe of it. Bounded, so texts
 * that come and go (a config's reloads, the admin API's checks) cannot grow it without end.
 */
const parsed = new Map<string, ParseResult>();
const PARSED_KEEP = 10_000;

export function parseCondition(text: string): ParseResult {
  let result = parsed.get(text);
  if (!result) {
    if (parsed.size >= PARSED_KEEP) parsed.clear();
    result = parseConditionText(text);
    parsed.set(text, result);
  }
  return result;
}

function parseConditionText(text: string): ParseResult {
  if (text.length > MAX_CONDITION_LENGTH) {
    return {
      ok: false,
      column: MAX_CONDITION_LENGTH + 1,
      message: `condition is longer than ${MAX_CONDITION_LENGTH} characters`,
    };
  }
  try {
    return { ok: true, ast: new Parser(text, lex(text)).condition() };
  } catch (err) {
    if (err instanceof ConditionSyntaxError)
      return { ok: false, column: err.offset + 1, message: err.message };
    throw err;
  }
}

function describe(token: Token): string {
  if (token.type === "eof") return "the end of the condition";
  const shown = token.text.length > 24 ? `${token.text.slice(0, 23)}…` : token.text;
  return token.type === "string" ? `the string "${shown}"` : `'${shown}'`;
}

class Parser {
  private pos = 0;
  private readonly text: string;
  private readonly tokens: Token[];

  constructor(text: string, tokens: Token[]) {
    this.text = text;
    this.tokens = tokens;
  }

  condition(): Condition {
    const first = this.peek();
    if (first.type === "eof") throw new ConditionSyntaxError(0, "empty condition");
    const left = this.operand("left");
    const opToken = this.peek();
    if (opToken.type !== "op") {
      throw this.error(
        opToken,
        `expected a comparison operator (${COMPARATORS.join(", ")}), found ${describe(opToken)}`,
      );
    }
    this.next();
    const op = opToken.text as Comparator;
    if (this.peek().type === "eof") {
      throw this.error(this.peek(), `expected a value after '${op}'`);
    }
    const right = this.operand("right");
    const end = this.peek();
    if (end.type !== "eof") {
      throw this.error(end, `unexpected ${describe(end)} after the condition`);
    }
    this.checkShape(left, op, opToken, right);
    return { text: this.text, left, op, opStart: opToken.start, right };
  }

  private checkShape(left: Operand, op: Comparator, opToken: Token, right: Operand): void {
    if (left.type === "pattern" || left.type === "any") {
      throw new ConditionSyntaxError(
        left.start,
        `${left.type === "pattern" ? "pat()" : "any()"} is only allowed on the right of == or !=`,
      );
    }
    if ((right.type === "pattern" || right.type === "any") && op !== "==" && op !== "!=") {
      throw new ConditionSyntaxError(
        opToken.start,
        `${right.type === "pattern" ? "pat()" : "any()"} needs == or !=, not ${op}`,
      );
    }
    if (!isValueNode(left) && !isValueNode(right)) {
      throw new ConditionSyntaxError(
        left.start,
        "compares two constants; one side must be a placeholder such as [STATUS] or [BODY].path",
      );
    }
  }

  private operand(side: "left" | "right"): Operand {
    const token = this.peek();
    if (token.type === "lbracket") return this.placeholder();
    if (token.type === "string") {
      this.next();
      return literal("string", token);
    }
    if (token.type === "word") {
      const after = this.tokens[this.pos + 1];
      if (after?.type === "lparen" && !after.spaced) return this.call(token, side);
      this.next();
      return literal(NUMBER.test(token.text) ? "number" : "word", token);
    }
    throw this.error(token, `expected a placeholder, function or value, found ${describe(token)}`);
  }

  private placeholder(): PlaceholderNode {
    const open = this.next(); // "["
    const name = this.peek();
    if (name.type !== "word" || name.spaced) {
      throw this.error(name, `expected a placeholder name such as STATUS or BODY after '['`);
    }
    if (!(PLACEHOLDERS as readonly string[]).includes(name.text)) {
      throw this.error(
        name,
        `unknown placeholder [${name.text}]; expected one of ${PLACEHOLDERS.map((p) => `[${p}]`).join(", ")}`,
      );
    }
    this.next();
    const close = this.peek();
    if (close.type !== "rbracket" || close.spaced) {
      throw this.error(close, `expected ']' to close [${name.text}`);
    }
    this.next();
    const path: PathSegment[] = [];
    let end = close.end;
    for (;;) {
      const t = this.peek();
      if (t.spaced || (t.type !== "dot" && t.type !== "lbracket")) break;
      if (name.text !== "BODY") {
        throw this.error(t, `[${name.text}] has no fields; only [BODY] takes a path`);
      }
      if (path.length >= MAX_PATH_SEGMENTS) throw this.error(t, `path is deeper than ${MAX_PATH_SEGMENTS}`);
      this.next();
      if (t.type === "dot") {
        const key = this.next(); // the lexer always emits a word after a path dot
        path.push({ key: key.text });
        end = key.end;
        continue;
      }
      const inner = this.next();
      if (inner.type === "string") {
        path.push({ key: inner.text });
      } else if (inner.type === "word" && INTEGER.test(inner.text)) {
        path.push({ index: Number(inner.text) });
      } else {
        throw this.error(
          inner,
          `expected an array index or a quoted key inside [ ], found ${describe(inner)}`,
        );
      }
      const shut = this.peek();
      if (shut.type !== "rbracket" || shut.spaced) throw this.error(shut, "expected ']' after the index");
      this.next();
      end = shut.end;
    }
    return { type: "placeholder", name: name.text as PlaceholderName, path, start: open.start, end };
  }

  private call(nameToken: Token, side: "left" | "right"): Operand {
    const name = nameToken.text;
    if (!FUNCTIONS.has(name)) {
      throw this.error(nameToken, `unknown function ${name}(); expected len(), has(), pat() or any()`);
    }
    this.next(); // name
    this.next(); // "("
    if (name === "len" || name === "has") {
      const arg = this.peek();
      if (arg.type !== "lbracket") {
        throw this.error(arg, `${name}() takes a placeholder such as [BODY].items, found ${describe(arg)}`);
      }
      const node = this.placeholder();
      const close = this.expectClose(name);
      return { type: name, arg: node, start: nameToken.start, end: close.end };
    }
    if (side === "left") {
      throw this.error(nameToken, `${name}() is only allowed on the right of == or !=`);
    }
    if (name === "pat") {
      const glob = this.next();
      if (glob.type !== "pattern") throw this.error(glob, "expected a pattern inside pat()");
      if (glob.text === "") throw this.error(glob, "pat() needs a pattern, e.g. pat(*ok*)");
      const close = this.expectClose(name);
      return { type: "pattern", glob: glob.text, start: nameToken.start, end: close.end };
    }
    const options: LiteralNode[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === "string" || (t.type === "word" && this.tokens[this.pos + 1]?.type !== "lparen")) {
        this.next();
        options.push(literal(t.type === "string" ? "string" : NUMBER.test(t.text) ? "number" : "word", t));
      } else {
        throw this.error(t, `any() takes constants separated by commas, found ${describe(t)}`);
      }
      if (options.length > MAX_ANY_OPTIONS)
        throw this.error(t, `any() takes at most ${MAX_ANY_OPTIONS} values`);
      if (this.peek().type === "comma") {
        this.next();
        continue;
      }
      break;
    }
    const close = this.expectClose(name);
    return { type: "any", options, start: nameToken.start, end: close.end };
  }

  private expectClose(name: string): Token {
    const t = this.peek();
    if (t.type !== "rparen") throw this.error(t, `expected ')' to close ${name}(, found ${describe(t)}`);
    return this.next();
  }

  private peek(): Token {
    return this.tokens[this.pos] ?? this.eof();
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private eof(): Token {
    return { type: "eof", text: "", start: this.text.length, end: this.text.length, spaced: false };
  }

  private error(token: Token, message: string): ConditionSyntaxError {
    return new ConditionSyntaxError(token.start, message);
  }
}

function literal(kind: LiteralNode["kind"], token: Token): LiteralNode {
  return { type: "literal", kind, text: token.text, start: token.start, end: token.end };
}
