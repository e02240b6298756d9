import { describe, expect, it } from "vitest";
import {
  type PromParsed,
  type PromText,
  parsePrometheusText,
  parsePromFloat,
  promSeries,
  promValue,
} from "../../src/core/prometheus/parse.ts";

const ok = (text: string, limits = {}): PromText => {
  const r = parsePrometheusText(text, limits);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.message}`);
  return r.value;
};
const err = (text: string, limits = {}) => {
  const r: PromParsed = parsePrometheusText(text, limits);
  if (r.ok) throw new Error("expected an error");
  return r.error;
};
const plain = (labels: Readonly<Record<string, string>>) => ({ ...labels });

describe("Prometheus text: what a real page looks like", () => {
  it("casper-node gauges with HELP and TYPE", () => {
    const t = ok(
      [
        "# HELP peers number of connected peers",
        "# TYPE peers gauge",
        "peers 5",
        "# HELP highest_available_block_height highest height of the available block range",
        "# TYPE highest_available_block_height gauge",
        "highest_available_block_height 1781728",
        "# HELP time_of_last_finalized_block timestamp of the most recently finalized block",
        "# TYPE time_of_last_finalized_block gauge",
        "time_of_last_finalized_block 1710861429163",
        "",
      ].join("\n"),
    );
    expect(t.samples.map((s) => [s.name, s.value])).toEqual([
      ["peers", 5],
      ["highest_available_block_height", 1781728],
      ["time_of_last_finalized_block", 1710861429163],
    ]);
    expect(t.types.get("peers")).toBe("gauge");
    expect(t.help.get("peers")).toBe("number of connected peers");
    expect(promValue(t, "time_of_last_finalized_block")).toBe(1710861429163);
    expect(promValue(t, "missing")).toBeUndefined();
  });

  it("the sidecar's admin page: labelled gauge, counter, histogram, process metrics", () => {
    const t = ok(
      [
        "# HELP error_counts Error counts",
        "# TYPE error_counts counter",
        'error_counts{category="connection_manager",description="node connection lost"} 3',
        "# HELP node_statuses Current status of node to which sidecar is connected. Numbers mean: 0 - preparing; 1 - connecting; 2 - connected",
        "# TYPE node_statuses gauge",
        'node_statuses{node="127.0.0.1:9999"} 2',
        "# HELP sse_server_received_bytes Received bytes from SSE inbound per message type",
        "# TYPE sse_server_received_bytes histogram",
        'sse_server_received_bytes_bucket{message_type="BlockAdded",le="500"} 0',
        'sse_server_received_bytes_bucket{message_type="BlockAdded",le="5000"} 12',
        'sse_server_received_bytes_bucket{message_type="BlockAdded",le="+Inf"} 12',
        'sse_server_received_bytes_sum{message_type="BlockAdded"} 18000',
        'sse_server_received_bytes_count{message_type="BlockAdded"} 12',
        "# HELP process_resident_memory_bytes Resident memory size in bytes.",
        "# TYPE process_resident_memory_bytes gauge",
        "process_resident_memory_bytes 25165824",
      ].join("\n"),
    );
    expect(promValue(t, "node_statuses")).toBe(2);
    expect(promValue(t, "node_statuses", { node: "127.0.0.1:9999" })).toBe(2);
    expect(promValue(t, "node_statuses", { node: "10.0.0.1:9999" })).toBeUndefined();
    expect(promSeries(t, "sse_server_received_bytes_bucket").map((s) => s.labels.le)).toEqual([
      "500",
      "5000",
      "+Inf",
    ]);
    expect(t.types.get("sse_server_received_bytes")).toBe("histogram");
  });

  it("a summary with quantiles, _sum and _count", () => {
    const t = ok(
      [
        "# TYPE rpc_duration_seconds summary",
        'rpc_duration_seconds{quantile="0.5"} 4773',
        'rpc_duration_seconds{quantile="0.99"} 76656',
        "rpc_duration_seconds_sum 1.7560473e+07",
        "rpc_duration_seconds_count 2693",
      ].join("\n"),
    );
    expect(promValue(t, "rpc_duration_seconds_sum")).toBe(17560473);
  });

  it("no trailing newline, CRLF line ends, blank lines, leading blanks, tabs", () => {
    const t = ok('\r\n  a 1\r\n\n\t b\t2 \r\nc{x="y"}\t3');
    expect(t.samples.map((s) => [s.name, s.value])).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ]);
  });

  it("empty text is an empty page", () => {
    expect(ok("").samples).toEqual([]);
    expect(ok("\n\n# just a comment\n").samples).toEqual([]);
  });
});

describe("values and timestamps", () => {
  it("floats as Go reads them: exponents, signs, NaN, ±Inf", () => {
    const t = ok(
      [
        "a 1.5e3",
        "b -2E-2",
        "c +.5",
        "d 7.",
        "e NaN",
        "f +Inf",
        "g -Inf",
        "h Inf",
        "i nan",
        "j 0",
        "k -0",
        "l 1e-400",
        "m 123456789012345678901234567890",
      ].join("\n"),
    );
    const v = Object.fromEntries(t.samples.map((s) => [s.name, s.value]));
    expect(v).toMatchObject({ a: 1500, b: -0.02, c: 0.5, d: 7, j: 0, l: 0 });
    expect(v.e).toBeNaN();
    expect(v.i).toBeNaN();
    expect(v.f).toBe(Number.POSITIVE_INFINITY);
    expect(v.g).toBe(Number.NEGATIVE_INFINITY);
    expect(v.h).toBe(Number.POSITIVE_INFINITY);
    expect(v.m).toBeCloseTo(1.2345678901234568e29);
  });

  it("parsePromFloat rejects what Go's text parser would not take", () => {
    for (const bad of ["", "1.2.3", "0x10", "1_000", "1e", "e5", "--1", "Infinite", "1,5", "١"]) {
      expect(parsePromFloat(bad), bad).toBeUndefined();
    }
    expect(parsePromFloat("1e400")).toBeUndefined(); // ErrRange in Go
    expect(parsePromFloat("+infinity")).toBe(Number.POSITIVE_INFINITY);
  });

  it("optional millisecond timestamps, negative ones too", () => {
    const t = ok('a 1 1700000000000\nb{x="1"} 2 -5\nc 3');
    expect(t.samples[0]?.timestampMs).toBe(1700000000000);
    expect(t.samples[1]?.timestampMs).toBe(-5);
    expect(t.samples[2]).not.toHaveProperty("timestampMs");
  });

  it("bad timestamps and trailing text are errors", () => {
    expect(err("a 1 1.5").message).toBe("line 1: timestamp of a is not an integer");
    expect(err("a 1 12345678901234567").message).toBe("line 1: timestamp of a is not an integer");
    expect(err("a 1 9999999999999999").message).toBe("line 1: timestamp of a is out of range");
    expect(err("a 1 2 3").message).toBe("line 1: unexpected text after the timestamp of a");
  });
});

describe("labels", () => {
  it("escapes: backslash, quote and newline; other specials are plain text", () => {
    const t = ok(
      String.raw`m{path="C:\\dir\\file",quote="say \"hi\"",nl="a\nb",odd="},=# {x=\"1\"}",u="žluť 🦀"} 1`,
    );
    expect(plain(t.samples[0]?.labels ?? {})).toEqual({
      path: "C:\\dir\\file",
      quote: 'say "hi"',
      nl: "a\nb",
      odd: '},=# {x="1"}',
      u: "žluť 🦀",
    });
  });

  it("spacing inside braces, a trailing comma, an empty set, a space before the braces", () => {
    const t = ok('a{ x = "1" , y="2", } 1\nb{} 2\nc {z=""} 3\nd:colon:name{a="b"}4');
    expect(plain(t.samples[0]?.labels ?? {})).toEqual({ x: "1", y: "2" });
    expect(plain(t.samples[1]?.labels ?? {})).toEqual({});
    expect(plain(t.samples[2]?.labels ?? {})).toEqual({ z: "" });
    expect(t.samples[3]).toMatchObject({ name: "d:colon:name", value: 4 });
  });

  it("label names like __proto__ and constructor are plain keys", () => {
    const t = ok('a{__proto__="x",constructor="y",toString="z"} 1');
    const labels = t.samples[0]?.labels ?? {};
    expect(Object.keys(labels).sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.getOwnPropertyDescriptor(labels, "__proto__")?.value).toBe("x");
    expect(Object.getPrototypeOf(labels)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a{x="1} 1', "line 1: value of label x is not closed with '\"'"],
    ['a{x="1"', "line 1: label set is not closed with '}'"],
    ['a{x="\\t"} 1', "line 1: invalid escape sequence in the value of label x"],
    ['a{x="1",x="2"} 1', "line 1: label x appears twice"],
    ["a{x=1} 1", "line 1: value of label x must be quoted, found '1'"],
    ['a{1x="1"} 1', "line 1: expected a label name, found '1'"],
    ['a{x:y="1"} 1', "line 1: expected '=' after label x, found ':'"],
    ['a{x="1" y="2"} 1', "line 1: expected ',' or '}' after label x, found 'y'"],
    ['a{x="1",,} 1', "line 1: expected a label name, found ','"],
    ['a{"x"="1"} 1', "line 1: expected a label name, found '\"'"],
  ])("%s → %s", (text, message) => {
    expect(err(text)).toEqual({ kind: "syntax", line: 1, message });
  });
});

describe("HELP, TYPE and comments", () => {
  it("HELP unescapes \\\\ and \\n; other # lines are comments", () => {
    const t = ok(
      [
        "# a comment",
        "#no space comment",
        "#",
        "# HELP x first\\nsecond \\\\ backslash",
        "# HELPER not a help line",
        "#   TYPE   x   GAUGE  ",
        "x 1",
      ].join("\n"),
    );
    expect(t.help.get("x")).toBe("first\nsecond \\ backslash");
    expect(t.types.get("x")).toBe("gauge");
  });

  it("HELP may be empty", () => {
    expect(ok("# HELP x\nx 1").help.get("x")).toBe("");
  });

  it.each([
    ["# TYPE x gauge\n# TYPE x counter", "line 2: second TYPE line for x"],
    ["# HELP x a\n# HELP x b", "line 2: second HELP line for x"],
    ["x 1\n# TYPE x gauge", "line 2: TYPE line for x comes after its samples"],
    ["# TYPE x flux", "line 1: unknown metric type for x"],
    ["# TYPE x", "line 1: TYPE line for x without a type"],
    ["# TYPE", "line 1: TYPE line without a metric name"],
    ["# HELP 9x text", "line 1: HELP line has an invalid metric name"],
    ["# HELP x bad \\t escape", "line 1: invalid escape sequence in HELP text (only \\\\ and \\n)"],
  ])("%s → %s", (text, message) => {
    expect(err(text)).toMatchObject({ kind: "syntax", message });
  });
});

describe("histograms and summaries", () => {
  it("a bucket without le, or with a non-numeric le, is an error", () => {
    expect(err("# TYPE h histogram\nh_bucket 1").message).toBe(
      "line 2: histogram bucket of h has no 'le' label",
    );
    expect(err('# TYPE h histogram\nh_bucket{le="big"} 1').message).toBe("line 2: 'le' of h is not a number");
  });

  it("a summary sample without quantile is an error; _sum and _count need none", () => {
    expect(err("# TYPE s summary\ns 1").message).toBe(
      "line 2: summary s has a sample without a 'quantile' label",
    );
    expect(ok("# TYPE s summary\ns_sum 1\ns_count 2").samples).toHaveLength(2);
  });

  it("an untyped x_bucket needs no le", () => {
    expect(ok("x_bucket 1").samples).toHaveLength(1);
  });
});

describe("malformed lines name their line", () => {
  it.each([
    ["a 1\nb\n", 2, "line 2: no value for b"],
    ["a 1\n\n\nb x", 4, "line 4: value of b is not a number"],
    ["a 1.2.3", 1, "line 1: value of a is not a number"],
    ["a 0x1F", 1, "line 1: value of a is not a number"],
    ["a 1e400", 1, "line 1: value of a is not a number"],
    ["9a 1", 1, "line 1: expected a metric name, found '9'"],
    ["a-b 1", 1, "line 1: invalid character '-' in metric name"],
    ["a.b 1", 1, "line 1: invalid character '.' in metric name"],
    ['{"utf8.name"} 1', 1, "line 1: expected a metric name, found '{'"],
    ["a 1\na 2", 2, "line 2: duplicate series for a"],
    ['a{x="1",y="2"} 1\na{y="2",x="1"} 2', 2, "line 2: duplicate series for a"],
  ])("%j", (text, line, message) => {
    expect(err(text)).toEqual({ kind: "syntax", line, message });
  });

  it("garbage: an HTML error page, JSON, binary", () => {
    expect(err("<html>\r\n<head><title>502 Bad Gateway</title></head>").message).toBe(
      "line 1: expected a metric name, found '<'",
    );
    expect(err('{"peers": 5}').message).toBe("line 1: expected a metric name, found '{'");
    expect(err("\u0000\u0001\u0002").message).toBe("line 1: expected a metric name, found U+0000");
    expect(err("peers 5\n\uFEFFpeers2 1").message).toBe("line 2: expected a metric name, found U+FEFF");
  });

  it("messages never echo page text beyond a name (clipped) or one character", () => {
    const secret = "SECRET-TOKEN-1234";
    for (const text of [`a{x="${secret}} 1`, `a ${secret}`, `a 1 ${secret}`, `# TYPE a ${secret}`]) {
      expect(err(text).message).not.toContain("SECRET");
    }
    const longName = "n".repeat(5000);
    expect(err(`${longName} x`).message).toBe(`line 1: value of ${"n".repeat(63)}… is not a number`);
  });
});

describe("bounds", () => {
  it("total bytes are counted in UTF-8", () => {
    const text = Array.from({ length: 100 }, (_, i) => `m${i % 10}${Math.floor(i / 10)} 1\n`).join(""); // 100 × 6 bytes
    expect(err(text, { maxBytes: 599 })).toEqual({
      kind: "limit",
      message: "metrics text exceeds 599 bytes",
    });
    expect(ok(text, { maxBytes: 600 }).samples).toHaveLength(100);
  });

  it("multi-byte characters count as their UTF-8 length", () => {
    const text = `a{x="${"ž".repeat(50)}"} 1`; // 9 ASCII bytes + 50 × 2
    expect(ok(text, { maxBytes: 109 }).samples).toHaveLength(1);
    expect(err(text, { maxBytes: 108 }).kind).toBe("limit");
    const crabs = `a{x="${"🦀".repeat(10)}"} 1`; // 9 + 10 × 4 (surrogate pairs)
    expect(ok(crabs, { maxBytes: 49 }).samples).toHaveLength(1);
    expect(err(crabs, { maxBytes: 48 }).kind).toBe("limit");
  });

  it("series count", () => {
    const text = Array.from({ length: 11 }, (_, i) => `m{i="${i}"} ${i}`).join("\n");
    expect(ok(text, { maxSeries: 11 }).samples).toHaveLength(11);
    expect(err(text, { maxSeries: 10 })).toEqual({
      kind: "limit",
      line: 11,
      message: "line 11: more than 10 series",
    });
  });

  it("line length, with or without a newline in sight", () => {
    const long = `a{x="${"y".repeat(200)}"} 1`;
    expect(err(`ok 1\n${long}\n`, { maxLineLength: 100 })).toEqual({
      kind: "limit",
      line: 2,
      message: "line 2: line exceeds 100 characters",
    });
    expect(err("x".repeat(10_000), { maxLineLength: 100 }).kind).toBe("limit");
    // A CR before the LF does not count against the limit.
    expect(ok(`${"a".repeat(97)} 1\r\n`, { maxLineLength: 99 }).samples).toHaveLength(1);
  });

  it("labels per series", () => {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => `l${i}="v"`).join(",");
    expect(ok(`a{${labels(4)}} 1`, { maxLabels: 4 }).samples).toHaveLength(1);
    expect(err(`a{${labels(5)}} 1`, { maxLabels: 4 })).toEqual({
      kind: "limit",
      line: 1,
      message: "line 1: more than 4 labels on one series",
    });
  });

  it("a large valid page parses quickly", () => {
    const text = Array.from(
      { length: 20_000 },
      (_, i) => `net_in_bytes{peer="p${i}",kind="x"} ${i}.5e1`,
    ).join("\n");
    const started = performance.now();
    const t = ok(text);
    expect(t.samples).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
