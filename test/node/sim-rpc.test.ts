import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import type { SimNodeInfo } from "../../src/sim/types.ts";
import { getJson, rpc, url } from "./sim-helpers.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests walk deep into JSON payloads
type Json = Record<string, any>;

let fleet: Fleet;
let v15: SimNodeInfo;
let v20: SimNodeInfo;

beforeAll(async () => {
  fleet = await startFleet([
    { id: "rpc-15", version: "1.5", blockTimeMs: 200 },
    { id: "rpc-20", version: "2.0", blockTimeMs: 200 },
  ]);
  [v15, v20] = fleet.nodes as [SimNodeInfo, SimNodeInfo];
});
afterAll(() => fleet.stop());

/** POSTs raw bytes (so fetch adds no content-type of its own) to the RPC port. */
async function post(
  node: SimNodeInfo,
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" },
  path = "/rpc",
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url(node, "rpc", path), {
    method: "POST",
    headers,
    body: new TextEncoder().encode(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe("HTTP-level rules (casper-json-rpc)", () => {
  const call = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "info_get_status" });

  it("404s any path but /rpc", async () => {
    expect(await post(v15, call, undefined, "/")).toEqual({
      status: 404,
      body: { message: "Path not found" },
    });
  });

  it("405s anything but POST", async () => {
    const res = await fetch(url(v15, "rpc", "/rpc"));
    expect(res.status).toBe(405);
  });

  it("400s a missing content-type and 415s any other than exactly application/json", async () => {
    expect(await post(v15, call, {})).toEqual({
      status: 400,
      body: { message: "The request's content-type is not set" },
    });
    for (const contentType of ["text/plain", "application/json; charset=utf-8"]) {
      expect(await post(v15, call, { "content-type": contentType })).toEqual({
        status: 415,
        body: { message: "The request's content-type is not supported" },
      });
    }
    expect((await post(v15, call, { "content-type": "Application/JSON" })).status).toBe(200);
  });

  it("400s a request without id (notification)", async () => {
    const res = await post(v20, JSON.stringify({ jsonrpc: "2.0", method: "info_get_status" }));
    expect(res).toEqual({ status: 400, body: { message: "The request is missing the 'id' field" } });
  });

  it("answers malformed requests with JSON-RPC errors over HTTP 200", async () => {
    const parse = await post(v15, "{not json");
    expect(parse.status).toBe(200);
    expect(parse.body).toMatchObject({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "Parse error" },
    });

    const version = await post(v15, JSON.stringify({ jsonrpc: "1.0", id: 7, method: "info_get_status" }));
    expect(version.body).toMatchObject({
      id: 7,
      error: {
        code: -32600,
        message: "Invalid Request",
        data: "Expected 'jsonrpc' to be '2.0', but got '1.0'",
      },
    });

    const params = await post(
      v15,
      JSON.stringify({ jsonrpc: "2.0", id: 8, method: "chain_get_block", params: "x" }),
    );
    expect(params.body.error).toMatchObject({ code: -32600 });
    expect(params.body.error.data).toContain("'params' must be an Array or Object, but was a String");
  });

  it("answers an unknown method with -32601 and the node's data text", async () => {
    const { status, body } = await rpc(v20, "no_such_method");
    expect(status).toBe(200);
    expect(body).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: {
        code: -32601,
        message: "Method not found",
        data: "'no_such_method' is not a supported json-rpc method on this server",
      },
    });
  });
});

describe("methods", () => {
  it("info_get_status: the REST status, plus protocol_version on 2.0", async () => {
    const r15 = (await rpc<Json>(v15, "info_get_status")).body.result;
    expect(r15.api_version).toBe("1.5.8");
    expect(r15).not.toHaveProperty("protocol_version");
    const r20 = (await rpc<Json>(v20, "info_get_status")).body.result;
    expect(Object.keys(r20).slice(0, 3)).toEqual(["api_version", "protocol_version", "peers"]);
    expect(r20.protocol_version).toBe("2.0.0");
    expect(r20.latest_switch_block_hash).toMatch(/^[0-9a-f]{64}$/);
    const rest = (await getJson<Json>(url(v20, "rest", "/status"))).body;
    expect(
      Math.abs(rest.last_added_block_info.height - r20.last_added_block_info.height),
    ).toBeLessThanOrEqual(1);
  });

  it("chain_get_block 1.x: result.block.header with height and timestamp", async () => {
    const { result } = (await rpc<Json>(v15, "chain_get_block")).body;
    expect(result.api_version).toBe("1.5.8");
    expect(Object.keys(result.block)).toEqual(["hash", "header", "body", "proofs"]);
    expect(result.block.header).toMatchObject({ height: expect.any(Number), protocol_version: "1.5.8" });
    expect(Date.now() - Date.parse(result.block.header.timestamp)).toBeLessThan(1000);
  });

  it("chain_get_block 2.0: result.block_with_signatures.block.Version2.header", async () => {
    const { result } = (await rpc<Json>(v20, "chain_get_block")).body;
    const block = result.block_with_signatures.block.Version2;
    expect(block.header).toMatchObject({
      height: expect.any(Number),
      protocol_version: "2.0.0",
      current_gas_price: 1,
      last_switch_block_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(result.block_with_signatures.proofs.length).toBeGreaterThan(0);
  });

  it("chain_get_block by Height and by Hash; a future height is -32001", async () => {
    const latest = (await rpc<Json>(v20, "chain_get_block")).body.result.block_with_signatures.block.Version2;
    const byHeight = (
      await rpc<Json>(v20, "chain_get_block", { block_identifier: { Height: latest.header.height - 3 } })
    ).body.result.block_with_signatures.block.Version2;
    expect(byHeight.header.height).toBe(latest.header.height - 3);
    expect(byHeight.header.timestamp < latest.header.timestamp).toBe(true);
    const byHash = (await rpc<Json>(v20, "chain_get_block", [{ Hash: byHeight.hash }])).body.result
      .block_with_signatures.block.Version2;
    expect(byHash.header.height).toBe(byHeight.header.height);
    const future = (await rpc<Json>(v20, "chain_get_block", { block_identifier: { Height: 10_000_000 } }))
      .body;
    expect(future.error).toMatchObject({ code: -32001 });
  });

  it("info_get_peers and chain_get_state_root_hash", async () => {
    const peers = (await rpc<Json>(v15, "info_get_peers")).body.result;
    expect(peers.api_version).toBe("1.5.8");
    expect(peers.peers).toHaveLength(5);
    const root = (await rpc<Json>(v15, "chain_get_state_root_hash")).body.result;
    expect(root.state_root_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives every node of a chain the same hash for the same height", async () => {
    const a = (await rpc<Json>(v15, "chain_get_block", { block_identifier: { Height: 1000 } })).body.result;
    const b = (await rpc<Json>(v20, "chain_get_block", { block_identifier: { Height: 1000 } })).body.result;
    expect(a.block.hash).toBe(b.block_with_signatures.block.Version2.hash);
  });
});
