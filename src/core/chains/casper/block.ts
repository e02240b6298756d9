import { z } from "zod";
import type { Parsed } from "../parsed.ts";
import { parseWith } from "../parsed.ts";
import { CasperTimestampSchema, HeightSchema } from "./timestamp.ts";

/** What the probes need from a block: where the chain is and when that block was made. */
export interface BlockPoint {
  height: number;
  /** Unix ms. */
  timestamp: number;
}

const HeaderSchema = z.object({ height: HeightSchema, timestamp: CasperTimestampSchema }).loose();

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * A block is `{header}` in 1.x and `{Version2: {header}}` or `{Version1: {header}}` (a legacy block
 * replayed by a 2.x node) in 2.x. Returns the header object and where it was found, for messages.
 */
function findHeader(block: unknown, at: string): { header: unknown; path: string } | string {
  if (!isObject(block)) return `${at} is not an object`;
  if ("header" in block) return { header: block.header, path: `${at}.header` };
  for (const v of ["Version2", "Version1"] as const) {
    const inner = block[v];
    if (isObject(inner)) return { header: inner.header, path: `${at}.${v}.header` };
  }
  return `${at} has no header, Version2 or Version1`;
}

function pointFrom(block: unknown, at: string): Parsed<BlockPoint> {
  const found = findHeader(block, at);
  if (typeof found === "string") return { ok: false, problem: found };
  if (found.header === undefined) return { ok: false, problem: `missing ${found.path}` };
  const r = parseWith(HeaderSchema, found.header);
  if (!r.ok) return { ok: false, problem: `${found.path}: ${r.problem}` };
  return { ok: true, value: { height: r.value.height, timestamp: r.value.timestamp } };
}

/**
 * The `result` of `chain_get_block`: 1.x `{block: {header, …}}`, 2.x
 * `{block_with_signatures: {block: {Version2|Version1: {header, …}}, proofs}}`.
 */
export function parseCasperBlockResult(result: unknown): Parsed<BlockPoint> {
  if (!isObject(result)) return { ok: false, problem: "result is not an object" };
  if (isObject(result.block_with_signatures)) {
    return pointFrom(result.block_with_signatures.block, "block_with_signatures.block");
  }
  if ("block" in result) {
    // A node with no blocks yet answers block: null.
    if (result.block === null) return { ok: false, problem: "the node has no block yet" };
    return pointFrom(result.block, "block");
  }
  return { ok: false, problem: "missing block and block_with_signatures" };
}

/**
 * The event sidecar's REST `GET /block` body: `{block_hash, block: {Version2|Version1: {header}}}`
 * (reference/CHAINS.md A.7), i.e. what a BlockAdded event carries. Also returns the block's
 * `protocol_version` when it has one, which says which block-time profile applies.
 */
export function parseSidecarBlock(body: unknown): Parsed<BlockPoint & { protocolVersion?: string }> {
  if (!isObject(body)) return { ok: false, problem: "body is not an object" };
  if (!("block" in body)) return { ok: false, problem: "missing block" };
  const point = pointFrom(body.block, "block");
  if (!point.ok) return point;
  const found = findHeader(body.block, "block");
  const header = typeof found === "string" ? undefined : found.header;
  const version = isObject(header) ? header.protocol_version : undefined;
  return typeof version === "string" && /^\d+\.\d+\.\d+$/.test(version)
    ? { ok: true, value: { ...point.value, protocolVersion: version } }
    : point;
}

/**
 * The JSON of an SSE `BlockAdded` event: `{"BlockAdded": {block_hash, block}}` where block is
 * `{header}` (1.x) or `{Version2|Version1: {header}}` (2.x). Returns null for other event types.
 */
export function parseBlockAddedEvent(event: unknown): Parsed<BlockPoint> | null {
  if (!isObject(event) || !("BlockAdded" in event)) return null;
  const added = event.BlockAdded;
  if (!isObject(added)) return { ok: false, problem: "BlockAdded is not an object" };
  return pointFrom(added.block, "BlockAdded.block");
}

/** Who proposed a block, and in which era: what a validator's proposal count is made of. */
export interface BlockProposal {
  height: number;
  era: number;
  proposer: string;
}

const ProposalHeaderSchema = z
  .object({ height: HeightSchema, era_id: z.number().int().nonnegative(), proposer: z.string().optional() })
  .loose();

/**
 * `chain_get_block`'s result as a proposal: 1.x and legacy blocks name the proposer in
 * `body.proposer`, 2.x `Version2` blocks in `header.proposer`.
 */
export function parseCasperBlockProposal(result: unknown): Parsed<BlockProposal> {
  if (!isObject(result)) return { ok: false, problem: "result is not an object" };
  let block: unknown = result.block;
  let at = "block";
  if (isObject(result.block_with_signatures)) {
    block = result.block_with_signatures.block;
    at = "block_with_signatures.block";
  }
  if (!isObject(block)) return { ok: false, problem: `${at} is not an object` };
  const inner = "header" in block ? block : (block.Version2 ?? block.Version1);
  if (!isObject(inner)) return { ok: false, problem: `${at} has no header, Version2 or Version1` };
  const header = parseWith(ProposalHeaderSchema, inner.header);
  if (!header.ok) return { ok: false, problem: `${at} header: ${header.problem}` };
  const body = isObject(inner.body) ? inner.body : {};
  const proposer = header.value.proposer ?? body.proposer;
  if (typeof proposer !== "string" || !/^0[12][0-9a-fA-F]{64,66}$/.test(proposer))
    return { ok: false, problem: `${at}: no proposer key` };
  return {
    ok: true,
    value: { height: header.value.height, era: header.value.era_id, proposer: proposer.toLowerCase() },
  };
}
