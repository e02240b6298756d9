import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HttpCheckSchema } from "../../src/core/kinds/http.ts";
import { chainOfKind } from "../../src/core/kinds/index.ts";
import { JsonRpcCheckSchema } from "../../src/core/kinds/json-rpc.ts";
import { NanoRpcCheckSchema } from "../../src/core/kinds/nano-rpc.ts";
import { NanoWsCheckSchema } from "../../src/core/kinds/nano-ws.ts";

const Union = z.discriminatedUnion("kind", [
  NanoRpcCheckSchema,
  NanoWsCheckSchema,
  HttpCheckSchema,
  JsonRpcCheckSchema,
]);
const issues = (input: unknown) =>
  (Union.safeParse(input).error?.issues ?? []).map((i) => `${i.path.map(String).join(".")}: ${i.message}`);

describe("nano-generic check schemas", () => {
  it("nano-rpc: defaults to block_count + version; actions are known and unique", () => {
    expect(NanoRpcCheckSchema.parse({ kind: "nano-rpc", url: "http://n:9950/proxy" })).toEqual({
      kind: "nano-rpc",
      url: "http://n:9950/proxy",
      actions: ["block_count", "version"],
      maxBodyBytes: 1_048_576,
    });
    expect(
      issues({ kind: "nano-rpc", url: "http://n:7076", actions: ["block_count", "block_count"] }),
    ).toEqual(["actions: actions must not repeat"]);
    expect(issues({ kind: "nano-rpc", url: "http://n:7076", actions: ["stats"] })[0]).toMatch(/^actions\.0:/);
    expect(issues({ kind: "nano-rpc", url: "ws://n:7078" })).toEqual([
      "url: an http(s) URL such as http://node.example:9950/proxy",
    ]);
  });

  it("nano-ws: ws or wss only, pong window bounded", () => {
    expect(NanoWsCheckSchema.parse({ kind: "nano-ws", url: "wss://n/ws" }).pongWithinMs).toBe(5000);
    expect(issues({ kind: "nano-ws", url: "http://n:7078" })).toEqual([
      "url: a ws(s) URL such as ws://node.example:7078",
    ]);
    expect(issues({ kind: "nano-ws", url: "ws://n:7078", pongWithinMs: 10 })[0]).toMatch(/^pongWithinMs:/);
  });

  it("http: conditions are parsed at load, errors name the index and the column", () => {
    expect(HttpCheckSchema.parse({ kind: "http", url: "https://a/health" })).toMatchObject({
      method: "GET",
      conditions: ["[STATUS] < 300"],
    });
    expect(
      issues({
        kind: "http",
        url: "https://a/health",
        conditions: ["[STATUS] == 200", "[BODY].result.count  100", "len([BODY) > 1"],
      }),
    ).toEqual([
      "conditions.1: at column 22: expected a comparison operator (==, !=, <, <=, >, >=), found '100'",
      "conditions.2: at column 10: expected ']' to close [BODY",
    ]);
    expect(issues({ kind: "http", url: "https://a/", body: "x" })).toEqual([
      "body: a GET request cannot carry a body",
    ]);
    expect(
      issues({ kind: "http", url: "https://a/", headers: { Authorization: { secret: "lower" } } })[0],
    ).toMatch(/^headers\.Authorization/);
  });

  it("json-rpc: params by position or name, conditions checked", () => {
    const parsed = JsonRpcCheckSchema.parse({
      kind: "json-rpc",
      url: "https://rpc/",
      method: "info_get_peers",
      params: { verbose: [1, null, "x"] },
      conditions: ["len([BODY].result.peers) >= 3"],
    });
    expect(parsed.params).toEqual({ verbose: [1, null, "x"] });
    expect(issues({ kind: "json-rpc", url: "https://rpc/", method: "m", params: "x" })[0]).toMatch(
      /^params:/,
    );
    expect(
      issues({ kind: "json-rpc", url: "https://rpc/", method: "m", conditions: ["[BODY].x =="] }),
    ).toEqual(["conditions.0: at column 12: expected a value after '=='"]);
  });

  it("chain mapping: nano kinds belong to nano, http and json-rpc to any chain", () => {
    const kinds = ["nano-rpc", "nano-ws", "http", "json-rpc"] as const;
    expect(kinds.map((k) => chainOfKind(k))).toEqual(["nano", "nano", undefined, undefined]);
  });

  it("renders as JSON Schema (what `npm run gen` does)", () => {
    const schema = z.toJSONSchema(Union, { io: "input", target: "draft-2020-12", unrepresentable: "any" });
    const kinds = (schema.oneOf ?? schema.anyOf ?? []).map(
      (s) => (s as { properties?: { kind?: { const?: string } } }).properties?.kind?.const ?? "?",
    );
    expect(kinds).toEqual(["nano-rpc", "nano-ws", "http", "json-rpc"]);
  });
});
