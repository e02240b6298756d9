import { describe, expect, it } from "vitest";
import {
  type ConditionInput,
  conditionReasons,
  evaluateCondition,
  explainCondition,
  formatConditionError,
  parseCondition,
  usesBody,
} from "../../src/core/conditions/index.ts";
import { compareNumeric, globMatch, renderValue } from "../../src/core/conditions/values.ts";
import { ConditionResultSchema } from "../../src/core/result.ts";

const nanoBody = {
  count: "1000",
  unchecked: "10",
  cemented: "98",
  online_stake_total: "82939414347555434636491651871033324568",
  peers: { "[::ffff:172.17.0.1]:7075": "21" },
};
const rpcBody = {
  jsonrpc: "2.0",
  id: 7,
  result: {
    peers: [{ id: "tls:0a1b", address: "10.0.0.1:35000" }, { id: "tls:ffee" }],
    api_version: "2.0.0",
    height: 5021,
    synced: true,
    note: null,
    "odd.key": "dotted",
  },
};
const input: ConditionInput = { status: 200, responseTimeMs: 42, body: nanoBody };
const rpcInput: ConditionInput = { status: 200, responseTimeMs: 9, body: rpcBody };

const ok = (condition: string, with_ = input) => evaluateCondition(condition, with_).ok;

function fails(text: string) {
  const r = parseCondition(text);
  if (r.ok) throw new Error(`expected ${text} to be rejected`);
  return { column: r.column, message: r.message, formatted: formatConditionError(r) };
}

describe("parseCondition: accepted forms", () => {
  it.each([
    "[STATUS] == 200",
    "[STATUS]==200",
    "[RESPONSE_TIME] < 300",
    "[BODY].result.peers[0].id == tls:0a1b",
    '[BODY]["odd.key"] == dotted',
    "[BODY].result.peers[-1].id == tls:ffee",
    "len([BODY].result.peers) >= 2",
    "has([BODY].error) == false",
    "[BODY] == pat(*healthy*)",
    "[BODY].status == pat(UP*)",
    '[BODY].status == pat("*(beta)*")',
    "[STATUS] == any(200, 429)",
    '[BODY].network == any(live, "beta")',
    "[CONNECTED] == true",
    "[CERTIFICATE_EXPIRATION] > 48h",
    "200 == [STATUS]",
    "[BODY].version == 1.2.3",
    "[BODY].count > -1.5e3",
    "   [STATUS]   !=   500   ",
  ])("%s", (text) => {
    const r = parseCondition(text);
    expect(r.ok, r.ok ? "" : formatConditionError(r)).toBe(true);
  });

  it("builds the tree with paths, functions and positions", () => {
    const r = parseCondition("[BODY].result.peers[0].id != pat(tls:*)");
    if (!r.ok) throw new Error(r.message);
    expect(r.ast.left).toEqual({
      type: "placeholder",
      name: "BODY",
      path: [{ key: "result" }, { key: "peers" }, { index: 0 }, { key: "id" }],
      start: 0,
      end: 25,
    });
    expect(r.ast.op).toBe("!=");
    expect(r.ast.right).toMatchObject({ type: "pattern", glob: "tls:*" });
  });

  it("classifies constants: numbers, quoted strings, bare words", () => {
    const right = (t: string) => {
      const r = parseCondition(`[STATUS] == ${t}`);
      if (!r.ok) throw new Error(r.message);
      return r.ast.right;
    };
    expect(right("200")).toMatchObject({ type: "literal", kind: "number", text: "200" });
    expect(right('"200"')).toMatchObject({ type: "literal", kind: "string", text: "200" });
    expect(right("UP")).toMatchObject({ type: "literal", kind: "word", text: "UP" });
    expect(right("'it\\'s'")).toMatchObject({ kind: "string", text: "it's" });
  });

  it("a pattern may hold spaces and operator characters", () => {
    const r = parseCondition("[BODY] == pat(*<title>All good</title>*)");
    if (!r.ok) throw new Error(r.message);
    expect(r.ast.right).toMatchObject({ type: "pattern", glob: "*<title>All good</title>*" });
  });

  it("usesBody tells the probe whether to read the body", () => {
    const body = (t: string) => {
      const r = parseCondition(t);
      if (!r.ok) throw new Error(r.message);
      return usesBody(r.ast);
    };
    expect(body("[STATUS] == 200")).toBe(false);
    expect(body("len([BODY].x) > 1")).toBe(true);
    expect(body("200 == [BODY].code")).toBe(true);
  });
});

describe("parseCondition: errors name the column", () => {
  it("a missing comparison operator", () => {
    const e = fails("[BODY].result  500");
    expect(e.column).toBe(16);
    expect(e.formatted).toBe(
      "at column 16: expected a comparison operator (==, !=, <, <=, >, >=), found '500'",
    );
  });

  it.each([
    ["", 1, "empty condition"],
    ["[STATUS] = 200", 10, "unexpected '='; did you mean '=='?"],
    ["[STATUS] ! 200", 10, "did you mean '!='"],
    ["[STATUS] ==", 12, "expected a value after '=='"],
    ["[STATUS] == 200 300", 17, "unexpected '300' after the condition"],
    ["[STAT] == 200", 2, "unknown placeholder [STAT]"],
    ["[status] == 200", 2, "unknown placeholder [status]"],
    ["[STATUS == 200", 9, "expected ']' to close [STATUS"],
    ["[STATUS].code == 200", 9, "[STATUS] has no fields; only [BODY] takes a path"],
    ["[BODY]. == 1", 8, "expected a field name after '.'"],
    ["[BODY].a[x] == 1", 10, "expected an array index or a quoted key"],
    ["[BODY].a[0 == 1", 12, "expected ']' after the index"],
    ['[BODY] == "open', 11, "unterminated string"],
    ['[BODY] == "a\\q"', 13, "unknown escape"],
    ["size([BODY]) == 1", 1, "unknown function size()"],
    ["len(5) == 1", 5, "len() takes a placeholder"],
    ["len([BODY] == 1", 12, "expected ')' to close len("],
    ["pat(*a*) == [BODY]", 1, "pat() is only allowed on the right of == or !="],
    ["any(1, 2) == [STATUS]", 1, "any() is only allowed on the right"],
    ["[BODY] > pat(*a*)", 8, "pat() needs == or !=, not >"],
    ["[STATUS] < any(1, 2)", 10, "any() needs == or !=, not <"],
    ["[BODY] == pat()", 15, "pat() needs a pattern"],
    ["[BODY] == pat(*a*", 14, "pat( is not closed"],
    ["[STATUS] == any(1, )", 20, "any() takes constants separated by commas, found ')'"],
    ["[STATUS] == any(1 2)", 19, "expected ')' to close any("],
    ["200 == 200", 1, "compares two constants"],
    ["== 200", 1, "expected a placeholder, function or value, found '=='"],
    ["[BODY].a [0] == 1", 10, "expected a comparison operator"],
  ])("%j → column %i", (text, column, message) => {
    const e = fails(text);
    expect(e.message).toContain(message);
    expect(e.column).toBe(column);
  });

  it("refuses conditions longer than 500 characters", () => {
    const e = fails(`[BODY].x == ${"a".repeat(500)}`);
    expect(e.message).toMatch(/longer than 500/);
  });
});

describe("evaluation: placeholders and comparisons", () => {
  it("status and response time", () => {
    expect(ok("[STATUS] == 200")).toBe(true);
    expect(ok("[STATUS] != 200")).toBe(false);
    expect(ok("[STATUS] < 300")).toBe(true);
    expect(ok("[RESPONSE_TIME] <= 42")).toBe(true);
    expect(ok("[RESPONSE_TIME] > 42")).toBe(false);
    expect(ok("[RESPONSE_TIME] < 1s")).toBe(true);
    expect(ok("[RESPONSE_TIME] < 40ms")).toBe(false);
    expect(ok("200 == [STATUS]")).toBe(true);
  });

  it("Nano's numeric strings compare as numbers, exactly, beyond 2^53", () => {
    expect(ok("[BODY].count > 999")).toBe(true);
    expect(ok("[BODY].count == 1000")).toBe(true);
    expect(ok("[BODY].count == 1000.0")).toBe(true);
    expect(ok("[BODY].count >= 1001")).toBe(false);
    expect(ok("[BODY].cemented > 100")).toBe(false); // "98" is not > 100 (as text it would be)
    expect(ok("[BODY].online_stake_total > 82939414347555434636491651871033324567")).toBe(true);
    expect(ok("[BODY].online_stake_total < 82939414347555434636491651871033324569")).toBe(true);
    expect(ok("[BODY].online_stake_total == 82939414347555434636491651871033324568")).toBe(true);
    expect(ok("[BODY].online_stake_total == 82939414347555434636491651871033324569")).toBe(false);
  });

  it("a quoted constant compares as text", () => {
    expect(ok('[BODY].count == "1000"')).toBe(true);
    expect(ok('[BODY].count == "1000.0"')).toBe(false);
    expect(ok('[BODY].count > "999"')).toBe(true); // ordering still needs numbers, quoted or not
  });

  it("words, booleans and null", () => {
    expect(ok("[BODY].result.synced == true", rpcInput)).toBe(true);
    expect(ok("[BODY].result.synced == false", rpcInput)).toBe(false);
    expect(ok("[BODY].result.note == null", rpcInput)).toBe(true);
    expect(ok("[BODY].result.api_version == 2.0.0", rpcInput)).toBe(true);
    expect(ok("[BODY].jsonrpc == 2.0", rpcInput)).toBe(true);
  });

  it("paths: nested keys, indexes from either end, quoted keys", () => {
    expect(ok("[BODY].result.peers[0].id == tls:0a1b", rpcInput)).toBe(true);
    expect(ok("[BODY].result.peers[-1].id == tls:ffee", rpcInput)).toBe(true);
    expect(ok("[BODY].result.peers.1.id == tls:ffee", rpcInput)).toBe(true);
    expect(ok('[BODY].result["odd.key"] == dotted', rpcInput)).toBe(true);
    expect(ok('[BODY].peers["[::ffff:172.17.0.1]:7075"] == 21')).toBe(true);
  });

  it("len() and has()", () => {
    expect(ok("len([BODY].result.peers) == 2", rpcInput)).toBe(true);
    expect(ok("len([BODY].peers) == 1")).toBe(true); // object: key count
    expect(ok("len([BODY].count) == 4")).toBe(true); // string: characters
    expect(ok("has([BODY].result.height) == true", rpcInput)).toBe(true);
    expect(ok("has([BODY].error) == false", rpcInput)).toBe(true);
    expect(ok("has([BODY].result.note) == false", rpcInput)).toBe(true); // null is absent
  });

  it("pat() and any()", () => {
    expect(ok("[BODY].result.peers[0].id == pat(tls:*)", rpcInput)).toBe(true);
    expect(ok("[BODY].result.peers[0].id != pat(tls:*)", rpcInput)).toBe(false);
    expect(ok("[BODY].result.api_version == pat(2.?.0)", rpcInput)).toBe(true);
    expect(
      ok("[BODY] == pat(*healthy*)", { body: "<p>all healthy</p>", bodyText: "<p>all healthy</p>" }),
    ).toBe(true);
    expect(ok("[BODY] == pat(*tls:ffee*)", rpcInput)).toBe(true); // a JSON body matches as its JSON text
    expect(ok("[STATUS] == any(200, 429)")).toBe(true);
    expect(ok("[STATUS] == any(201, 429)")).toBe(false);
    expect(ok("[STATUS] != any(500, 502)")).toBe(true);
    expect(ok("[BODY].count == any(1000.00, 2)")).toBe(true);
  });

  it("[CONNECTED] and [CERTIFICATE_EXPIRATION] when the check provides them", () => {
    const tls: ConditionInput = { connected: true, certificateExpiresInMs: 72 * 3_600_000 };
    expect(ok("[CONNECTED] == true", tls)).toBe(true);
    expect(ok("[CERTIFICATE_EXPIRATION] > 48h", tls)).toBe(true);
    expect(ok("[CERTIFICATE_EXPIRATION] > 7d", tls)).toBe(false);
  });
});

describe("evaluation: failures explain themselves", () => {
  it("a false condition carries the value it saw", () => {
    const r = evaluateCondition("[BODY].cemented > 100", input);
    expect(r).toEqual({ condition: "[BODY].cemented > 100", ok: false, actual: '"98"' });
    expect(explainCondition(r)).toBe('[BODY].cemented (= "98") > 100');
  });

  it("a passing condition carries it too", () => {
    expect(evaluateCondition("[STATUS] == 200", input)).toEqual({
      condition: "[STATUS] == 200",
      ok: true,
      actual: "200",
    });
  });

  it("the value side is shown even when written on the right", () => {
    const r = evaluateCondition("201 == [STATUS]", input);
    expect(explainCondition(r)).toBe("201 == [STATUS] (= 200)");
  });

  it.each([
    ["[BODY].nope == 1", "[BODY].nope is missing", "(missing)"],
    ["len([BODY].nope) > 0", "[BODY].nope is missing", "(missing)"],
    ["[BODY].count > UP", "UP is not a number, so it cannot be compared with >", '"1000"'],
    ["[BODY].peers > 1", "[BODY].peers is not a number", '{"[::ffff:172.17.0.1]:7075":"21"}'],
    ["[CONNECTED] == true", "[CONNECTED] is not available for this check", undefined],
  ])("%s → %s", (condition, error, actual) => {
    const r = evaluateCondition(condition, input);
    expect(r.ok).toBe(false);
    expect(r.error).toContain(error);
    expect(r.actual).toBe(actual);
  });

  it("a path into a body that is not JSON fails, naming why", () => {
    const r = evaluateCondition("[BODY].status == UP", { status: 200, body: "<html>502</html>" });
    expect(r.error).toBe("[BODY].status needs a JSON body, but the body is not JSON");
  });

  it("no body at all", () => {
    expect(evaluateCondition("[BODY] == pat(*)", { status: 204 }).error).toBe("the response has no body");
  });

  it("len() of a number is an error, not a guess", () => {
    const r = evaluateCondition("len([BODY].result.height) > 1", rpcInput);
    expect(r.error).toBe("len() needs a string, array or object, but [BODY].result.height is number");
  });

  it("an unparsable condition evaluates to a failure with the column, never a throw", () => {
    const r = evaluateCondition("[STATUS] = 200", input);
    expect(r).toEqual({
      condition: "[STATUS] = 200",
      ok: false,
      error: "at column 10: unexpected '='; did you mean '=='?",
    });
  });

  it("the actual value is bounded and results fit the schema", () => {
    const huge = { blob: "x".repeat(100_000), list: Array.from({ length: 10_000 }, (_, i) => i) };
    for (const c of ["[BODY].blob == y", "[BODY].list == y", "[BODY] == pat(nope)", "len([BODY].blob) < 5"]) {
      const r = evaluateCondition(c, { body: huge });
      expect(r.ok).toBe(false);
      expect((r.actual ?? "").length).toBeLessThanOrEqual(200);
      expect(ConditionResultSchema.safeParse(r).success).toBe(true);
    }
  });

  it("body data shaped like a syntax node is just data", () => {
    const body = { x: { type: "literal", kind: "word", text: "UP" } };
    expect(ok("[BODY].x == UP", { body })).toBe(false);
    expect(ok('[BODY].x.text == "UP"', { body })).toBe(true);
  });
});

describe("conditionReasons", () => {
  it("no failed condition → no reason", () => {
    expect(conditionReasons({ ok: true, latencyMs: 1, conditions: [] })).toEqual([]);
    expect(conditionReasons({ ok: true, latencyMs: 1 })).toEqual([]);
  });

  it("one failure → one critical reason naming the condition and its value", () => {
    const conditions = [
      evaluateCondition("[STATUS] == 200", input),
      evaluateCondition("[BODY].cemented > 100", input),
    ];
    expect(conditionReasons({ ok: true, latencyMs: 1, conditions })).toEqual([
      {
        code: "condition_failed",
        severity: "critical",
        message: 'condition failed: [BODY].cemented (= "98") > 100',
      },
    ]);
  });

  it("several failures → still one reason, listing each", () => {
    const conditions = [
      evaluateCondition("[STATUS] == 201", input),
      evaluateCondition("[BODY].nope == 1", input),
    ];
    const [reason] = conditionReasons({ ok: true, latencyMs: 1, conditions });
    expect(reason?.message).toBe(
      "2 conditions failed: [STATUS] (= 200) == 201; [BODY].nope (= (missing)) == 1: [BODY].nope is missing",
    );
  });
});

describe("value helpers", () => {
  it("compareNumeric is exact and sign-aware", () => {
    expect(compareNumeric("10", "9")).toBe(1);
    expect(compareNumeric("-10", "-9")).toBe(-1);
    expect(compareNumeric("-0", "0")).toBe(0);
    expect(compareNumeric("007.50", "7.5")).toBe(0);
    expect(compareNumeric("0.1", "0.10000000000000000001")).toBe(-1);
    expect(compareNumeric("99999999999999999999", "100000000000000000000")).toBe(-1);
    expect(compareNumeric("1e3", "999")).toBe(1);
  });

  it("globMatch handles *, ? and hostile patterns quickly", () => {
    expect(globMatch("a*c", "abbbc")).toBe(true);
    expect(globMatch("a*c", "abbbd")).toBe(false);
    expect(globMatch("a?c", "abc")).toBe(true);
    expect(globMatch("*", "")).toBe(true);
    expect(globMatch("", "")).toBe(true);
    expect(globMatch("", "x")).toBe(false);
    const started = Date.now();
    expect(globMatch("*a*a*a*a*a*a*a*a*b", "a".repeat(20_000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("renderValue quotes strings and clips", () => {
    expect(renderValue("98")).toBe('"98"');
    expect(renderValue({ a: [1] })).toBe('{"a":[1]}');
    expect(renderValue("x".repeat(500)).length).toBe(200);
  });
});
