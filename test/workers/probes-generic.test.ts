import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { conditionReasons } from "../../src/core/conditions/evaluate-result.ts";
import { HttpCheckSchema } from "../../src/core/kinds/http.ts";
import { JsonRpcCheckSchema } from "../../src/core/kinds/json-rpc.ts";
import type { JsonFaultSpec, SimJsonInfo } from "../../src/sim/types.ts";
import { runProbe } from "../../src/worker/run-probe.ts";
import { control, jsonMember, opts, run, SLACK_MS } from "./member-helpers.ts";

// The generic http and json-rpc probes with user conditions, against the simulated JSON endpoint
// json-api (GET /health → {"status":"UP","height":"1042","peers":[…],"synced":true}; JSON-RPC on
// POST /health). This file owns json-*; every test heals the endpoint afterwards.

let j: SimJsonInfo;
beforeAll(async () => {
  j = await jsonMember("json-api");
});
afterEach(async () => {
  await control.heal("json-api");
});

const fault = (spec: JsonFaultSpec) => control.setFault("json-api", spec);
const base = () => `http://${j.host}:${j.ports.http}`;
const http = (extra: object = {}) =>
  HttpCheckSchema.parse({ kind: "http", url: `${base()}/health`, ...extra });
const rpc = (extra: object = {}) =>
  JsonRpcCheckSchema.parse({
    kind: "json-rpc",
    url: `${base()}/health`,
    method: "info_get_status",
    ...extra,
  });

const BODY_CONDITIONS = [
  "[STATUS] == 200",
  "[RESPONSE_TIME] < 1000",
  "[BODY].status == UP",
  "[BODY].height > 1000",
  "len([BODY].peers) == 2",
  "[BODY].peers[0].id == pat(tls:*)",
  "[BODY].synced == true",
];

describe("http", () => {
  it("healthy with the default condition ([STATUS] < 300)", async () => {
    const r = await run(runProbe, http(), opts(), j);
    expect(r).toMatchObject({
      ok: true,
      conditions: [{ condition: "[STATUS] < 300", ok: true, actual: "200" }],
    });
    expect(conditionReasons(r)).toEqual([]);
  });

  it("body conditions: paths, numeric strings, len(), pat()", async () => {
    const r = await run(runProbe, http({ conditions: BODY_CONDITIONS }), opts(), j);
    expect(r.ok).toBe(true);
    expect(r.conditions?.map((c) => [c.condition, c.ok])).toEqual(BODY_CONDITIONS.map((c) => [c, true]));
    expect(r.conditions?.find((c) => c.condition === "[BODY].height > 1000")?.actual).toBe('"1042"');
  });

  it("wrong values: the transport worked, the conditions fail and say what they saw", async () => {
    await fault({ fault: "wrong-values" });
    const r = await run(runProbe, http({ conditions: BODY_CONDITIONS }), opts(), j);
    expect(r.ok).toBe(true);
    const failed = (r.conditions ?? []).filter((c) => !c.ok).map((c) => c.condition);
    expect(failed).toEqual([
      "[BODY].status == UP",
      "[BODY].height > 1000",
      "len([BODY].peers) == 2",
      "[BODY].peers[0].id == pat(tls:*)",
      "[BODY].synced == true",
    ]);
    const [reason] = conditionReasons(r);
    expect(reason?.severity).toBe("critical");
    expect(reason?.message).toBe(
      '5 conditions failed: [BODY].status (= "wrong") == UP; [BODY].height (= "wrong") > 1000: ' +
        "[BODY].height is not a number, so it cannot be compared with >; len([BODY].peers) (= 0) == 2; " +
        "[BODY].peers[0].id (= (missing)) == pat(tls:*): [BODY].peers[0].id is missing; [BODY].synced (= false) == true",
    );
  });

  it("down (503): ok as a transport, [STATUS] condition fails", async () => {
    await fault({ fault: "down" });
    const r = await run(runProbe, http(), opts(), j);
    expect(r.ok).toBe(true);
    expect(conditionReasons(r)).toEqual([
      { code: "condition_failed", severity: "critical", message: "condition failed: [STATUS] (= 503) < 300" },
    ]);
    const expected = await run(runProbe, http({ conditions: ["[STATUS] == any(500, 503)"] }), opts(), j);
    expect(expected.conditions?.[0]?.ok).toBe(true);
  });

  it("garbage: body paths fail as not JSON; a pattern on the text still works", async () => {
    await fault({ fault: "garbage" });
    const r = await run(
      runProbe,
      http({ conditions: ["[BODY].status == UP", "[BODY] == pat(*502 Bad Gateway*)"] }),
      opts(),
      j,
    );
    expect(r.conditions).toEqual([
      {
        condition: "[BODY].status == UP",
        ok: false,
        error: "[BODY].status needs a JSON body, but the body is not JSON",
      },
      { condition: "[BODY] == pat(*502 Bad Gateway*)", ok: true, actual: expect.stringMatching(/^"<html>/) },
    ]);
  });

  it("slow: [RESPONSE_TIME] catches it within the deadline; past the deadline → timeout", async () => {
    await fault({ fault: "slow", delayMs: 400 });
    const r = await run(runProbe, http({ conditions: ["[RESPONSE_TIME] < 200"] }), opts(2000), j);
    expect(r.ok).toBe(true);
    expect(r.conditions?.[0]?.ok).toBe(false);
    expect(Number(r.conditions?.[0]?.actual)).toBeGreaterThanOrEqual(390);
    const late = await run(runProbe, http(), opts(250), j);
    expect(late.error).toEqual({
      kind: "timeout",
      message: "timed out waiting for a response: nothing within 250 ms",
    });
    expect(late.tookMs).toBeLessThan(250 + SLACK_MS);
  });

  it("refusing → refused; hung → timeout", async () => {
    await fault({ fault: "refusing" });
    expect((await run(runProbe, http(), opts(), j)).error).toEqual({
      kind: "refused",
      message: "connection refused",
    });
    await fault({ fault: "hung" });
    expect((await run(runProbe, http(), opts(500), j)).error?.kind).toBe("timeout");
  });

  it("any status can be a condition's subject (404 on another path); HEAD reads no body", async () => {
    const missing = await run(
      runProbe,
      http({ url: `${base()}/nope`, conditions: ["[STATUS] == 404"] }),
      opts(),
      j,
    );
    expect(missing.conditions?.[0]?.ok).toBe(true);
    const head = await run(runProbe, http({ method: "HEAD", conditions: ["[STATUS] == 200"] }), opts(), j);
    expect(head.conditions?.[0]).toEqual({ condition: "[STATUS] == 200", ok: true, actual: "200" });
  });

  it("POST with a body", async () => {
    const r = await run(
      runProbe,
      http({
        method: "POST",
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "echo_params" }),
        conditions: ["[BODY].result.ok == true", "[BODY].id == 1"],
      }),
      opts(),
      j,
    );
    expect(r.conditions?.every((c) => c.ok)).toBe(true);
  });

  it("a condition the config validation would refuse is a config failure, never a crash", async () => {
    const check = { ...http(), conditions: ["[STATUS] = 200"] };
    expect((await run(runProbe, check, opts(), j)).error).toEqual({
      kind: "config",
      message: "condition 1: at column 10: unexpected '='; did you mean '=='?",
    });
  });
});

describe("json-rpc", () => {
  const CONDITIONS = [
    "[BODY].result.api_version == 2.0.0",
    "[BODY].result.peers[0].node_id == pat(tls:*)",
    "len([BODY].result.peers) >= 1",
    "has([BODY].error) == false",
  ];

  it("healthy: conditions see the whole response as [BODY]", async () => {
    const r = await run(runProbe, rpc({ conditions: CONDITIONS }), opts(), j);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.conditions?.map((c) => c.ok)).toEqual([true, true, true, true]);
  });

  it("params are sent (by position or by name)", async () => {
    for (const params of [[1, "two"], { verbose: true }]) {
      const r = await run(
        runProbe,
        rpc({ method: "echo_params", params, conditions: ["[BODY].result.ok == true"] }),
        opts(),
        j,
      );
      expect(r.conditions?.[0]?.ok).toBe(true);
    }
  });

  it("a JSON-RPC error fails the call → protocol", async () => {
    const r = await run(runProbe, rpc({ method: "no_such_method" }), opts(), j);
    expect(r.error).toEqual({
      kind: "protocol",
      message: "no_such_method: JSON-RPC error -32601: Method not found",
    });
  });

  it("wrong values → conditions fail, with the values seen", async () => {
    await fault({ fault: "wrong-values" });
    const r = await run(runProbe, rpc({ conditions: CONDITIONS }), opts(), j);
    expect(r.ok).toBe(true);
    expect(r.conditions?.map((c) => c.ok)).toEqual([false, false, false, true]);
    expect(conditionReasons(r)[0]?.message).toMatch(
      /^3 conditions failed: \[BODY\]\.result\.api_version \(= "wrong"\)/,
    );
  });

  it("garbage → bad_body; down → http_status 503; hung → timeout", async () => {
    await fault({ fault: "garbage" });
    expect((await run(runProbe, rpc(), opts(), j)).error?.kind).toBe("bad_body");
    await fault({ fault: "down" });
    expect((await run(runProbe, rpc(), opts(), j)).error).toEqual({
      kind: "http_status",
      message: "HTTP 503",
      httpStatus: 503,
    });
    await fault({ fault: "hung" });
    expect((await run(runProbe, rpc(), opts(500), j)).error?.kind).toBe("timeout");
  });
});
