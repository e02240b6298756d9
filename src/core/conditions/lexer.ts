/**
 * Tokens of the condition language. The lexer knows one piece of context: right after a `]` or
 * a path key (with no space in between), `.` and `[` continue a JSON path; anywhere else `.` is
 * part of a bare word (`1.5`, `v2.0.1`). After `pat(` it reads the glob raw up to the next `)`,
 * so patterns may hold spaces and operator characters (`pat(*<title>ok</title>*)`); a glob that
 * must contain `)` is written quoted: `pat("*(beta)*")`.
 */

export type TokenType =
  | "lbracket"
  | "rbracket"
  | "lparen"
  | "rparen"
  | "comma"
  | "dot"
  | "op"
  | "string"
  | "word"
  | "pattern"
  | "eof";

export interface Token {
  type: TokenType;
  /** Source text (for strings: the unescaped value). */
  text: string;
  start: number;
  end: number;
  /** Whitespace came right before this token. */
  spaced: boolean;
}

export class ConditionSyntaxError extends Error {
  /** 0-based offset; columns shown to people are offset + 1. */
  readonly offset: number;

  constructor(offset: number, message: string) {
    super(message);
    this.name = "ConditionSyntaxError";
    this.offset = offset;
  }
}

const WHITESPACE = /\s/;
/** Characters that end a bare word. */
const WORD_STOP = new Set(["(", ")", "[", "]", ",", '"', "'", "=", "!", "<", ">"]);
/** Inside a path a key also ends at `.` (the next segment). */
const isWordChar = (c: string, inPath: boolean) =>
  !WHITESPACE.test(c) && !WORD_STOP.has(c) && !(inPath && c === ".");

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'" };

export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  /** The previous token can be followed by a path segment (`]` or a key). */
  let pathable = false;

  const push = (type: TokenType, value: string, start: number, end: number, spaced: boolean) => {
    tokens.push({ type, text: value, start, end, spaced });
  };

  while (true) {
    const before = i;
    while (i < text.length && WHITESPACE.test(text.charAt(i))) i++;
    const spaced = i > before;
    if (i >= text.length) {
      push("eof", "", text.length, text.length, spaced);
      return tokens;
    }
    const start = i;
    const c = text.charAt(i);
    const inPath = pathable && !spaced;

    if (c === "[") {
      push("lbracket", c, start, ++i, spaced);
      pathable = false;
    } else if (c === "]") {
      push("rbracket", c, start, ++i, spaced);
      pathable = true;
    } else if (c === "(" || c === ")" || c === ",") {
      push(c === "(" ? "lparen" : c === ")" ? "rparen" : "comma", c, start, ++i, spaced);
      pathable = false;
    } else if (c === "." && inPath) {
      push("dot", c, start, ++i, spaced);
      const keyStart = i;
      while (i < text.length && isWordChar(text.charAt(i), true)) i++;
      if (i === keyStart) throw new ConditionSyntaxError(keyStart, "expected a field name after '.'");
      push("word", text.slice(keyStart, i), keyStart, i, false);
      pathable = true;
    } else if (c === "=" || c === "!" || c === "<" || c === ">") {
      const two = text.slice(i, i + 2);
      if (two === "==" || two === "!=" || two === "<=" || two === ">=") {
        i += 2;
        push("op", two, start, i, spaced);
      } else if (c === "<" || c === ">") {
        push("op", c, start, ++i, spaced);
      } else {
        throw new ConditionSyntaxError(start, `unexpected '${c}'; did you mean '${c}='?`);
      }
      pathable = false;
    } else if (c === '"' || c === "'") {
      i = lexString(text, i, (value, end) => push("string", value, start, end, spaced));
      pathable = false;
    } else {
      while (i < text.length && isWordChar(text.charAt(i), false)) i++;
      const word = text.slice(start, i);
      push("word", word, start, i, spaced);
      pathable = false;
      if (word === "pat" && text.charAt(i) === "(") {
        push("lparen", "(", i, ++i, false);
        i = lexPatternBody(text, i, push);
      }
    }
  }
}

/** Reads a quoted string starting at `i` (the quote); returns the offset after the closing quote. */
function lexString(text: string, i: number, emit: (value: string, end: number) => void): number {
  const quote = text.charAt(i);
  const start = i;
  let value = "";
  i++;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === quote) {
      emit(value, i + 1);
      return i + 1;
    }
    if (c === "\\") {
      const next = text.charAt(i + 1);
      const escaped = ESCAPES[next];
      if (escaped === undefined) {
        throw new ConditionSyntaxError(i, `unknown escape '\\${next}' in a string`);
      }
      value += escaped;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new ConditionSyntaxError(start, "unterminated string: missing the closing quote");
}

/** After `pat(`: a quoted glob, or raw text up to the next `)`; then the `)`. */
function lexPatternBody(
  text: string,
  i: number,
  push: (type: TokenType, value: string, start: number, end: number, spaced: boolean) => void,
): number {
  let j = i;
  while (j < text.length && WHITESPACE.test(text.charAt(j))) j++;
  const quote = text.charAt(j);
  if (quote === '"' || quote === "'") {
    const start = j;
    j = lexString(text, j, (value, end) => push("pattern", value, start, end, j > i));
    return j; // the `)` is lexed normally
  }
  const close = text.indexOf(")", i);
  if (close === -1) throw new ConditionSyntaxError(i - 1, "pat( is not closed: expected ')'");
  const raw = text.slice(i, close);
  const glob = raw.trim();
  const start = i + (raw.length - raw.trimStart().length);
  push("pattern", glob, start, start + glob.length, start > i);
  return close;
}
