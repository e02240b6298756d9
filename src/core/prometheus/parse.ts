/**
 * A bounded parser for the Prometheus text exposition format (version 0.0.4), the format of
 * casper-node's REST `/metrics` and the Casper sidecar's admin `/metrics`. Pure and runtime-free.
 *
 * Follows the Go reference parser (prometheus/common expfmt text_parse.go) where it matters:
 * `# HELP` / `# TYPE` lines (at most one of each per family, TYPE before the family's samples),
 * other `#` lines are comments; label values with the escapes `\\`, `\"` and `\n` only; values
 * as Go's ParseFloat reads them (decimal, exponents, NaN, ±Inf; out-of-range literals rejected);
 * an optional integer millisecond timestamp; histogram buckets need `le`, summary quantiles
 * need `quantile`. Deliberate differences: a CR before the LF is tolerated (proxies add them),
 * hexadecimal floats and the Prometheus 3 quoted UTF-8 names are not accepted, and a series that
 * repeats (same name and labels) is an error rather than two samples.
 *
 * Every dimension a hostile endpoint controls is capped: total bytes, line length, series count,
 * labels per series. A violation is a `limit` error; anything malformed is a `syntax` error whose
 * message names the line. Messages never echo the page's content beyond a validated metric name
 * or a single character, so they are safe to show.
 */

export type PromType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface PromSample {
  name: string;
  /** Null-prototype object: label names such as `__proto__` are plain keys. */
  labels: Readonly<Record<string, string>>;
  /** May be NaN or ±Infinity. */
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestampMs?: number;
}

export interface PromText {
  samples: PromSample[];
  /** Declared `# TYPE` per family name. */
  types: Map<string, PromType>;
  /** `# HELP` text per family name, unescaped. */
  help: Map<string, string>;
}

export interface PromLimits {
  /** UTF-8 bytes of the whole text. */
  maxBytes: number;
  /** Samples (series) in the text. */
  maxSeries: number;
  /** Characters in one line. */
  maxLineLength: number;
  /** Labels on one sample. */
  maxLabels: number;
}

export const DEFAULT_PROM_LIMITS: PromLimits = {
  maxBytes: 4 * 1_048_576,
  maxSeries: 50_000,
  maxLineLength: 16_384,
  maxLabels: 64,
};

export interface PromParseError {
  /** `limit`: a bound was exceeded; `syntax`: the text is not valid exposition format. */
  kind: "syntax" | "limit";
  /** 1-based line number, when the problem is on one line. */
  line?: number;
  /** Starts with "line N: " when `line` is set. */
  message: string;
}

export type PromParsed = { ok: true; value: PromText } | { ok: false; error: PromParseError };

const TYPES = new Set<string>(["counter", "gauge", "histogram", "summary", "untyped"]);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF = /^[+-]?inf(?:inity)?$/i;
const TIMESTAMP = /^-?\d{1,16}$/;

class Stop extends Error {
  readonly detail: PromParseError;
  constructor(detail: PromParseError) {
    super(detail.message);
    this.detail = detail;
  }
}

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
const isDigit = (c: number) => c >= 48 && c <= 57;
const isBlank = (c: number) => c === 32 || c === 9;

/** Names one character for a message: printable ASCII quoted, anything else as U+XXXX. */
function showChar(line: string, i: number): string {
  if (i >= line.length) return "end of line";
  const c = line.codePointAt(i) ?? 0;
  if (c > 32 && c < 127) return `'${String.fromCharCode(c)}'`;
  return `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Names come from the page: their charset is safe, their length is not. */
function clipName(name: string): string {
  return name.length > 64 ? `${name.slice(0, 63)}…` : name;
}

/** UTF-8 length, stopping as soon as it passes `max`. */
function utf8LengthExceeds(text: string, max: number): boolean {
  if (text.length > max) return true; // every UTF-16 unit is at least one UTF-8 byte
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > max) return true;
  }
  return false;
}

/** A float as Go's strconv.ParseFloat reads it in the text format, or undefined. */
export function parsePromFloat(token: string): number | undefined {
  if (DECIMAL.test(token)) {
    const v = Number(token);
    // A finite literal that overflows is ErrRange in Go, which the reference parser rejects.
    return Number.isFinite(v) ? v : undefined;
  }
  if (INF.test(token)) return token.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[+-]?nan$/i.test(token)) return Number.NaN;
  return undefined;
}

/**
 * Parses exposition text. Never throws; a bad page comes back as `{ok: false, error}` naming the
 * first problem (and its line).
 */
export function parsePrometheusText(text: string, limits: Partial<PromLimits> = {}): PromParsed {
  const lim: PromLimits = { ...DEFAULT_PROM_LIMITS, ...limits };
  if (utf8LengthExceeds(text, lim.maxBytes)) {
    return { ok: false, error: { kind: "limit", message: `metrics text exceeds ${lim.maxBytes} bytes` } };
  }
  try {
    return { ok: true, value: new Parser(lim).run(text) };
  } catch (err) {
    if (err instanceof Stop) return { ok: false, error: err.detail };
    throw err;
  }
}

class Parser {
  private readonly lim: PromLimits;
  private readonly samples: PromSample[] = [];
  private readonly types = new Map<string, PromType>();
  private readonly help = new Map<string, string>();
  /** Families that already had a sample (a TYPE for them now comes too late). */
  private readonly sampled = new Set<string>();
  private readonly seriesKeys = new Set<string>();
  private lineNo = 0;

  constructor(lim: PromLimits) {
    this.lim = lim;
  }

  run(text: string): PromText {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
      this.lineNo += 1;
      if (end - start > this.lim.maxLineLength + 1) {
        this.fail("limit", `line exceeds ${this.lim.maxLineLength} characters`);
      }
      let line = text.slice(start, end);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line.length > this.lim.maxLineLength) {
        this.fail("limit", `line exceeds ${this.lim.maxLineLength} characters`);
      }
      this.line(line);
      start = end + 1;
    }
    return { samples: this.samples, types: this.types, help: this.help };
  }

  private fail(kind: PromParseError["kind"], what: string): never {
    throw new Stop({ kind, line: this.lineNo, message: `line ${this.lineNo}: ${what}` });
  }

  private line(line: string): void {
    let i = 0;
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    if (i === line.length) return; // blank line
    if (line.charCodeAt(i) === 35 /* # */) this.comment(line, i + 1);
    else this.sample(line, i);
  }

  private comment(line: string, from: number): void {
    let i = from;
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    let j = i;
    while (j < line.length && !isBlank(line.charCodeAt(j))) j++;
    const keyword = line.slice(i, j);
    if (keyword !== "HELP" && keyword !== "TYPE") return; // an ordinary comment
    i = j;
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    j = i;
    while (j < line.length && !isBlank(line.charCodeAt(j))) j++;
    const name = line.slice(i, j);
    if (name === "") this.fail("syntax", `${keyword} line without a metric name`);
    if (!METRIC_NAME.test(name)) this.fail("syntax", `${keyword} line has an invalid metric name`);
    // The rest starts after exactly the blanks that separate it (Go skips them all).
    i = j;
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    const rest = line.slice(i);
    if (keyword === "HELP") {
      if (this.help.has(name)) this.fail("syntax", `second HELP line for ${clipName(name)}`);
      this.help.set(name, this.unescapeHelp(rest));
      return;
    }
    const type = rest.trimEnd().toLowerCase();
    if (!TYPES.has(type)) {
      this.fail(
        "syntax",
        rest.trim() === ""
          ? `TYPE line for ${clipName(name)} without a type`
          : `unknown metric type for ${clipName(name)}`,
      );
    }
    if (this.types.has(name)) this.fail("syntax", `second TYPE line for ${clipName(name)}`);
    if (this.sampled.has(name))
      this.fail("syntax", `TYPE line for ${clipName(name)} comes after its samples`);
    this.types.set(name, type as PromType);
  }

  private unescapeHelp(text: string): string {
    if (!text.includes("\\")) return text;
    let out = "";
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== "\\") {
        out += c;
        continue;
      }
      const next = text[++i];
      if (next === "\\") out += "\\";
      else if (next === "n") out += "\n";
      else this.fail("syntax", "invalid escape sequence in HELP text (only \\\\ and \\n)");
    }
    return out;
  }

  private sample(line: string, from: number): void {
    let i = from;
    if (!isNameStart(line.charCodeAt(i)) && line.charCodeAt(i) !== 58 /* : */) {
      this.fail("syntax", `expected a metric name, found ${showChar(line, i)}`);
    }
    let j = i + 1;
    while (j < line.length) {
      const c = line.charCodeAt(j);
      if (isNameStart(c) || isDigit(c) || c === 58) j++;
      else break;
    }
    const name = line.slice(i, j);
    i = j;
    const labels: Record<string, string> = Object.create(null) as Record<string, string>;
    let labelCount = 0;
    const blanksBefore = i;
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) === 123 /* { */) {
      i = this.labels(line, i + 1, labels, () => ++labelCount);
      while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    } else if (i === blanksBefore && i < line.length) {
      this.fail("syntax", `invalid character ${showChar(line, i)} in metric name`);
    }

    // Value
    j = i;
    while (j < line.length && !isBlank(line.charCodeAt(j))) j++;
    const valueToken = line.slice(i, j);
    if (valueToken === "") this.fail("syntax", `no value for ${clipName(name)}`);
    const value = parsePromFloat(valueToken);
    if (value === undefined) this.fail("syntax", `value of ${clipName(name)} is not a number`);
    i = j;
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;

    // Optional timestamp
    let timestampMs: number | undefined;
    if (i < line.length) {
      j = i;
      while (j < line.length && !isBlank(line.charCodeAt(j))) j++;
      const ts = line.slice(i, j);
      if (!TIMESTAMP.test(ts)) this.fail("syntax", `timestamp of ${clipName(name)} is not an integer`);
      timestampMs = Number(ts);
      if (!Number.isSafeInteger(timestampMs))
        this.fail("syntax", `timestamp of ${clipName(name)} is out of range`);
      i = j;
      while (i < line.length && isBlank(line.charCodeAt(i))) i++;
      if (i < line.length) this.fail("syntax", `unexpected text after the timestamp of ${clipName(name)}`);
    }

    this.checkFamily(name, labels);
    const key = seriesKey(name, labels);
    if (this.seriesKeys.has(key)) this.fail("syntax", `duplicate series for ${clipName(name)}`);
    if (this.samples.length >= this.lim.maxSeries)
      this.fail("limit", `more than ${this.lim.maxSeries} series`);
    this.seriesKeys.add(key);
    const sample: PromSample = { name, labels, value };
    if (timestampMs !== undefined) sample.timestampMs = timestampMs;
    this.samples.push(sample);
  }

  /** Reads `name="value", …}` after the `{`; returns the index after the `}`. */
  private labels(line: string, from: number, into: Record<string, string>, count: () => number): number {
    let i = from;
    for (;;) {
      while (i < line.length && isBlank(line.charCodeAt(i))) i++;
      if (line.charCodeAt(i) === 125 /* } */) return i + 1;
      if (i >= line.length) this.fail("syntax", "label set is not closed with '}'");
      if (!isNameStart(line.charCodeAt(i))) {
        this.fail("syntax", `expected a label name, found ${showChar(line, i)}`);
      }
      let j = i + 1;
      while (j < line.length && (isNameStart(line.charCodeAt(j)) || isDigit(line.charCodeAt(j)))) j++;
      const labelName = line.slice(i, j);
      i = j;
      while (i < line.length && isBlank(line.charCodeAt(i))) i++;
      if (line.charCodeAt(i) !== 61 /* = */) {
        this.fail("syntax", `expected '=' after label ${clipName(labelName)}, found ${showChar(line, i)}`);
      }
      i++;
      while (i < line.length && isBlank(line.charCodeAt(i))) i++;
      if (line.charCodeAt(i) !== 34 /* " */) {
        this.fail(
          "syntax",
          `value of label ${clipName(labelName)} must be quoted, found ${showChar(line, i)}`,
        );
      }
      i++;
      let value = "";
      let closed = false;
      let run = i;
      while (i < line.length) {
        const c = line.charCodeAt(i);
        if (c === 34) {
          value += line.slice(run, i);
          closed = true;
          i++;
          break;
        }
        if (c === 92 /* \ */) {
          value += line.slice(run, i);
          const next = line[i + 1];
          if (next === "\\") value += "\\";
          else if (next === '"') value += '"';
          else if (next === "n") value += "\n";
          else this.fail("syntax", `invalid escape sequence in the value of label ${clipName(labelName)}`);
          i += 2;
          run = i;
          continue;
        }
        i++;
      }
      if (!closed) this.fail("syntax", `value of label ${clipName(labelName)} is not closed with '"'`);
      if (Object.hasOwn(into, labelName)) this.fail("syntax", `label ${clipName(labelName)} appears twice`);
      if (count() > this.lim.maxLabels)
        this.fail("limit", `more than ${this.lim.maxLabels} labels on one series`);
      into[labelName] = value;
      while (i < line.length && isBlank(line.charCodeAt(i))) i++;
      const c = line.charCodeAt(i);
      if (c === 44 /* , */) {
        i++;
        continue;
      }
      if (c === 125) return i + 1;
      if (i >= line.length) this.fail("syntax", "label set is not closed with '}'");
      this.fail(
        "syntax",
        `expected ',' or '}' after label ${clipName(labelName)}, found ${showChar(line, i)}`,
      );
    }
  }

  /** Marks the sample's family as sampled and applies the histogram and summary label rules. */
  private checkFamily(name: string, labels: Record<string, string>): void {
    let family = name;
    for (const suffix of ["_bucket", "_sum", "_count"]) {
      if (!name.endsWith(suffix)) continue;
      const base = name.slice(0, -suffix.length);
      const t = this.types.get(base);
      if (t === "histogram" || (t === "summary" && suffix !== "_bucket")) family = base;
    }
    this.sampled.add(family);
    const type = this.types.get(family);
    if (type === "histogram" && name === `${family}_bucket`) {
      const le = labels.le;
      if (le === undefined) this.fail("syntax", `histogram bucket of ${clipName(family)} has no 'le' label`);
      if (parsePromFloat(le) === undefined)
        this.fail("syntax", `'le' of ${clipName(family)} is not a number`);
    }
    if (type === "summary" && name === family) {
      const q = labels.quantile;
      if (q === undefined)
        this.fail("syntax", `summary ${clipName(family)} has a sample without a 'quantile' label`);
      if (parsePromFloat(q) === undefined)
        this.fail("syntax", `'quantile' of ${clipName(family)} is not a number`);
    }
  }
}

function seriesKey(name: string, labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  // JSON keeps the parts unambiguous whatever the label values contain.
  return JSON.stringify([name, ...names.map((n) => [n, labels[n]])]);
}

/**
 * The value of metric `name`: its unlabelled series if it has one, else the first series whose
 * labels include every pair of `match`. Undefined when absent.
 */
export function promValue(
  text: PromText,
  name: string,
  match: Readonly<Record<string, string>> = {},
): number | undefined {
  let first: number | undefined;
  for (const s of text.samples) {
    if (s.name !== name) continue;
    const keys = Object.keys(s.labels);
    const matches = Object.entries(match).every(([k, v]) => s.labels[k] === v);
    if (!matches) continue;
    if (keys.length === 0) return s.value;
    if (first === undefined) first = s.value;
  }
  return first;
}

/** Every series of metric `name`. */
export function promSeries(text: PromText, name: string): PromSample[] {
  return text.samples.filter((s) => s.name === name);
}
