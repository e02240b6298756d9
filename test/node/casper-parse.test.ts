import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBlockAddedEvent, parseCasperBlockResult } from "../../src/core/chains/casper/block.ts";
import { casperStatusFacts, parseCasperStatus } from "../../src/core/chains/casper/status.ts";
import { ChainFactsSchema } from "../../src/core/result.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/casper/${name}`, import.meta.url), "utf8");
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;
/** The JSON of every `data:` line that starts with `{"BlockAdded"` in a captured stream. */
const blockAddedLines = (name: string) =>
  fixture(name)
    .split("\n")
    .filter((l) => l.startsWith('data:{"BlockAdded"'))
    .map((l) => JSON.parse(l.slice(5)) as unknown);

function statusFacts(payload: unknown) {
  const parsed = parseCasperStatus(payload);
  if (!parsed.ok) throw new Error(parsed.problem);
  const facts = casperStatusFacts(parsed.value);
  expect(ChainFactsSchema.safeParse(facts).success).toBe(true);
  return facts;
}

describe("casper /status and info_get_status", () => {
  it("reads a 1.5 node (NCTL, Validate)", () => {
    expect(statusFacts(json("casper-status-1.5.json"))).toEqual({
      height: 131,
      lastBlockAt: Date.parse("2023-05-25T12:14:26.816Z"),
      syncState: "Validate",
      peers: 4,
      chainName: "casper-net-1",
      version: "1.0.0",
      upgrade: null,
    });
  });

  it("reads a 1.4.15 node without reactor_state", () => {
    const facts = statusFacts(json("casper-status-1.4.15-docs.json"));
    expect(facts.syncState).toBeUndefined();
    expect(facts).toMatchObject({ height: 1711254, peers: 3, chainName: "casper-test", version: "1.4.15" });
    expect(facts.lastBlockAt).toBe(Date.parse("2023-05-10T09:20:10.752Z"));
  });

  it("reads the 2.0 REST shape (extra latest_switch_block_hash is ignored)", () => {
    expect(statusFacts(json("casper-status-2.0.json"))).toMatchObject({ height: 131, syncState: "Validate" });
  });

  it("reads a scheduled upgrade with an era activation point as a string", () => {
    const facts = statusFacts(json("casper-status-1.5.8-docexample.json"));
    expect(facts.upgrade).toEqual({ activationPoint: "42", protocolVersion: "2.0.1" });
    expect(facts.syncState).toBe("Initialize");
  });

  it("keeps an RFC 3339 activation point verbatim", () => {
    const s = json("casper-status-1.5.json");
    s.next_upgrade = { activation_point: "2024-07-01T12:00:00.000Z", protocol_version: "2.0.0" };
    expect(statusFacts(s).upgrade).toEqual({
      activationPoint: "2024-07-01T12:00:00.000Z",
      protocolVersion: "2.0.0",
    });
  });

  it("reads the JSON-RPC results of 1.5.8 and the 2.0 sidecar", () => {
    const v2 = statusFacts(json("casper-rpc-info_get_status-2.0-docexample.json").result);
    expect(v2).toMatchObject({ version: "2.0.0", height: 10, peers: 1, chainName: "casper-example" });
    const v15 = statusFacts(json("casper-rpc-info_get_status-1.5.8-docexample.json").result);
    expect(v15).toMatchObject({ version: "1.5.8", height: 10 });
  });

  it("has no height while syncing from scratch", () => {
    const s = json("casper-status-1.5.json");
    s.last_added_block_info = null;
    s.reactor_state = "CatchUp";
    const facts = statusFacts(s);
    expect(facts.height).toBeUndefined();
    expect(facts.lastBlockAt).toBeUndefined();
    expect(facts.syncState).toBe("CatchUp");
  });

  it("clips oversized strings instead of failing", () => {
    const s = json("casper-status-1.5.json");
    s.chainspec_name = "x".repeat(10_000);
    expect(statusFacts(s).chainName).toHaveLength(128);
  });

  it("names what is missing or wrong in a payload that is not a status", () => {
    const empty = parseCasperStatus({});
    expect(empty).toEqual({ ok: false, problem: "missing api_version, chainspec_name, peers" });
    const bad = json("casper-status-1.5.json");
    (bad.last_added_block_info as Record<string, unknown>).timestamp = "yesterday";
    const r = parseCasperStatus(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe("last_added_block_info.timestamp: expected an RFC 3339 timestamp");
    expect(parseCasperStatus("garbage")).toEqual({
      ok: false,
      problem: "(root): expected object, received string",
    });
  });

  it("reads a JSON-RPC envelope by mistake as 'not a status'", () => {
    const r = parseCasperStatus(json("casper-rpc-error-invalid-params.json"));
    expect(r.ok).toBe(false);
  });
});

describe("casper chain_get_block", () => {
  it.each([
    ["casper-rpc-chain_get_block-1.5.3.json", 2346915, "2024-01-03T23:41:23.840Z"],
    ["casper-rpc-chain_get_block-1.5.8-docexample.json", 10, "2020-11-17T00:39:24.072Z"],
    ["casper-rpc-chain_get_block-2.0.json", 189, "2024-06-05T10:55:38.908Z"],
    ["casper-rpc-chain_get_block-2.0-docexample.json", 10, "2020-11-17T00:39:24.072Z"],
  ])("%s", (name, height, at) => {
    expect(parseCasperBlockResult(json(name).result)).toEqual({
      ok: true,
      value: { height, timestamp: Date.parse(at) },
    });
  });

  it("reads a legacy Version1 block served by a 2.x node", () => {
    type V2 = { block_with_signatures: { block: { Version2?: unknown; Version1?: unknown } } };
    const v2 = json("casper-rpc-chain_get_block-2.0.json").result as V2;
    v2.block_with_signatures.block = { Version1: v2.block_with_signatures.block.Version2 };
    expect(parseCasperBlockResult(v2)).toMatchObject({ ok: true, value: { height: 189 } });
  });

  it("explains a block result it cannot read", () => {
    expect(parseCasperBlockResult({ api_version: "1.5.8", block: null })).toEqual({
      ok: false,
      problem: "the node has no block yet",
    });
    expect(parseCasperBlockResult({ api_version: "2.0.0" })).toEqual({
      ok: false,
      problem: "missing block and block_with_signatures",
    });
    expect(parseCasperBlockResult({ block_with_signatures: { block: { Version3: {} } } })).toEqual({
      ok: false,
      problem: "block_with_signatures.block has no header, Version2 or Version1",
    });
    expect(
      parseCasperBlockResult({ block: { header: { height: -1, timestamp: "2020-11-17T00:39:24.072Z" } } }),
    ).toEqual({ ok: false, problem: "block.header: height: Too small: expected number to be >=0" });
  });
});

describe("casper SSE BlockAdded", () => {
  it("reads the 1.x shape", () => {
    const [ev] = blockAddedLines("casper-sse-blockadded-1.x.txt");
    expect(parseBlockAddedEvent(ev)).toEqual({
      ok: true,
      value: { height: 0, timestamp: Date.parse("2022-07-22T16:56:37.891Z") },
    });
  });

  it("reads the 2.0 Version2 shape", () => {
    const [ev] = blockAddedLines("casper-sse-blockadded-2.0.txt");
    expect(parseBlockAddedEvent(ev)).toEqual({
      ok: true,
      value: { height: 185859, timestamp: Date.parse("2024-07-03T09:45:36.447Z") },
    });
  });

  it("reads every BlockAdded in the captured streams", () => {
    const heights = [
      ...blockAddedLines("casper-sse-main-1.x.txt"),
      ...blockAddedLines("casper-sse-2.0-sidecar-usage-shutdown.txt"),
      ...blockAddedLines("casper-sse-2.0-events-head.txt"),
    ].map((ev) => {
      const r = parseBlockAddedEvent(ev);
      if (!r?.ok) throw new Error(r?.problem ?? "not a BlockAdded");
      return r.value.height;
    });
    expect(heights).toEqual([0, 1, 1781728, 8958184, 0]);
  });

  it("ignores other events and reports a broken BlockAdded", () => {
    expect(parseBlockAddedEvent({ ApiVersion: "2.0.0" })).toBeNull();
    expect(parseBlockAddedEvent("Shutdown")).toBeNull();
    expect(parseBlockAddedEvent({ BlockAdded: { block_hash: "00", block: { Version2: {} } } })).toEqual({
      ok: false,
      problem: "missing BlockAdded.block.Version2.header",
    });
  });
});
