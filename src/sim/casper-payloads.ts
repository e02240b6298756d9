import { readFileSync } from "node:fs";
import { sha256Hex, sha512Hex } from "./casper-chain.ts";
import { formatHumantime } from "./humantime.ts";
import type { RequestScope, SimNodeContext } from "./node-context.ts";
import type { SimVersion } from "./types.ts";

/**
 * Builds the JSON a Casper node sends (status, blocks, SSE events) from the real sample
 * shapes in ./payloads, filling in heights, times and hashes from the simulated chain.
 */

type Json = Record<string, unknown>;

function template(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./payloads/${name}`, import.meta.url), "utf8")) as Json;
}

const TEMPLATES = {
  status15: template("status-1.5.json"),
  status20: template("status-2.0.json"),
  block1x: template("block-1.x.json"),
  block20: template("block-2.0.json"),
  signature1x: template("finality-signature-1.x.json"),
  signature20: template("finality-signature-2.0.json"),
};

const VERSION_FACTS: Record<SimVersion, { apiVersion: string; buildVersion: string }> = {
  "1.5": { apiVersion: "1.5.8", buildVersion: "1.5.8-0432614a8-casper-sim" },
  "2.0": { apiVersion: "2.0.0", buildVersion: "2.0.0-30236763b-casper-sim" },
};

export const UPGRADE_PROTOCOL_VERSION = "2.0.1";
const WRONG_CHAIN_NAME = "wrong-chain";

export function apiVersionOf(version: SimVersion): string {
  return VERSION_FACTS[version].apiVersion;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The node's own validator key: stable per node id. */
/** Peers as /status and info_get_peers list them: abbreviated node id, documentation-range address. */
export function peerList(node: SimNodeContext): Array<{ node_id: string; address: string }> {
  return Array.from({ length: node.peerCount }, (_, i) => {
    const id = sha512Hex(`peer:${node.id}:${i}`);
    return { node_id: `tls:${id.slice(0, 4)}..${id.slice(-4)}`, address: `192.0.2.${(i % 254) + 1}:35000` };
  });
}

function blockSync(node: SimNodeContext, scope: RequestScope): Json {
  if (scope.fault.fault !== "catchup") return { historical: null, forward: null };
  const target = scope.networkHeight;
  const hash = node.chain.blockHash(target);
  return {
    historical: null,
    forward: {
      block_hash: hash,
      block_height: target,
      acquisition_state: `have block body(${target}) for: block hash ${hash.slice(0, 4)}..${hash.slice(-4)}`,
    },
  };
}

/**
 * GET /status body, or the info_get_status result when `forRpc` (2.0's sidecar adds
 * `protocol_version` there; the node's REST /status does not have it).
 */
export function buildStatus(node: SimNodeContext, scope: RequestScope, forRpc: boolean): Json {
  const { chain } = node;
  const { height, timestampMs } = scope.block;
  const era = chain.eraOf(height);
  const facts = VERSION_FACTS[node.version];
  const status: Json = {
    ...(node.version === "2.0" ? TEMPLATES.status20 : TEMPLATES.status15),
    peers: peerList(node),
    api_version: facts.apiVersion,
    build_version: facts.buildVersion,
    chainspec_name: scope.fault.fault === "wrong-chain" ? WRONG_CHAIN_NAME : node.chainName,
    starting_state_root_hash: chain.stateRootHash(0),
    last_added_block_info: {
      hash: chain.blockHash(height),
      timestamp: iso(timestampMs),
      era_id: era,
      height,
      state_root_hash: chain.stateRootHash(height),
      creator: chain.proposer(height),
    },
    our_public_signing_key: node.validatorKey,
    // A node whose key left the validator set has no round (the real node reports null).
    round_length: node.validators.inEra(node.validatorKey, era, height)
      ? formatHumantime(chain.blockTimeMs)
      : null,
    next_upgrade:
      scope.fault.fault === "upgrade"
        ? { activation_point: era + 1, protocol_version: UPGRADE_PROTOCOL_VERSION }
        : null,
    uptime: formatHumantime(scope.now - node.startedAt),
    reactor_state: scope.fault.fault === "catchup" ? "CatchUp" : "KeepUp",
    last_progress: iso(timestampMs),
    available_block_range: { low: 0, high: height },
    block_sync: blockSync(node, scope),
  };
  if (node.version === "2.0") {
    status.latest_switch_block_hash = chain.blockHash(chain.lastSwitchBlockHeight(height));
    if (forRpc) {
      const { api_version, ...rest } = status;
      return { api_version, protocol_version: facts.apiVersion, ...rest };
    }
  }
  return status;
}

function header1x(node: SimNodeContext, height: number): Json {
  const { chain } = node;
  return {
    ...(TEMPLATES.block1x.header as Json),
    parent_hash: chain.blockHash(Math.max(0, height - 1)),
    state_root_hash: chain.stateRootHash(height),
    body_hash: chain.bodyHash(height),
    random_bit: height % 2 === 1,
    accumulated_seed: chain.accumulatedSeed(height),
    era_end: null,
    timestamp: iso(chain.producedAt(height)),
    era_id: chain.eraOf(height),
    height,
    protocol_version: apiVersionOf(node.version),
  };
}

/**
 * `state_get_auction_info` (v1 bids) or its 2.0 `_v2` (bids as `Validator`/`Delegator` kinds): the
 * current and next era's validator weights, then the bids. Field order as casper-node serialises
 * its AuctionState struct: era_validators comes before the (large) bids.
 */
export function buildAuctionState(node: SimNodeContext, scope: RequestScope, v2: boolean): Json {
  const height = scope.block.height;
  const era = node.chain.eraOf(height);
  return {
    state_root_hash: node.chain.stateRootHash(height),
    block_height: height,
    era_validators: [era, era + 1].map((era_id) => ({
      era_id,
      validator_weights: node.validators.eraWeights(era_id, height),
    })),
    bids: node.validators.bids(v2),
  };
}

/** A 1.x block `{hash, header, body, proofs}` (chain_get_block `result.block`, BlockAdded `block`). */
function block1x(node: SimNodeContext, height: number, withProofs: boolean): Json {
  const base = TEMPLATES.block1x;
  return {
    ...base,
    hash: node.chain.blockHash(height),
    header: header1x(node, height),
    body: {
      ...(base.body as Json),
      proposer: node.chain.proposer(height),
      deploy_hashes: [],
      transfer_hashes: [],
    },
    proofs: withProofs ? base.proofs : [],
  };
}

/** The `Version2` block of 2.0 (`{hash, header, body}`). */
function block20(node: SimNodeContext, height: number): Json {
  const { chain } = node;
  const base = (TEMPLATES.block20.block as Json).Version2 as Json;
  return {
    ...base,
    hash: chain.blockHash(height),
    header: {
      ...header1x(node, height),
      proposer: chain.proposer(height),
      current_gas_price: 1,
      last_switch_block_hash: chain.blockHash(chain.lastSwitchBlockHeight(height)),
    },
  };
}

/** chain_get_block result: 1.x `{api_version, block}`, 2.0 `{api_version, block_with_signatures}`. */
export function buildGetBlockResult(node: SimNodeContext, height: number): Json {
  const api_version = apiVersionOf(node.version);
  if (node.version === "1.5") return { api_version, block: block1x(node, height, true) };
  return {
    api_version,
    block_with_signatures: { block: { Version2: block20(node, height) }, proofs: TEMPLATES.block20.proofs },
  };
}

export function buildBlockAddedEvent(node: SimNodeContext, height: number): Json {
  const block_hash = node.chain.blockHash(height);
  const block = node.version === "1.5" ? block1x(node, height, false) : { Version2: block20(node, height) };
  return { BlockAdded: { block_hash, block } };
}

/** A FinalitySignature event for `height`; `signer` picks one of the validators. */
export function buildFinalitySignatureEvent(node: SimNodeContext, height: number, signer: number): Json {
  const { chain } = node;
  const signed = {
    block_hash: chain.blockHash(height),
    era_id: chain.eraOf(height),
    signature: `01${sha512Hex(`signature:${chain.chainName}:${height}:${signer}`)}`,
    public_key: chain.proposer(signer),
  };
  if (node.version === "1.5") return { FinalitySignature: { ...TEMPLATES.signature1x, ...signed } };
  return {
    FinalitySignature: {
      V2: {
        ...TEMPLATES.signature20,
        ...signed,
        block_height: height,
        chain_name_hash: sha256Hex(chain.chainName),
      },
    },
  };
}

export function buildApiVersionEvent(node: SimNodeContext): Json {
  return { ApiVersion: apiVersionOf(node.version) };
}
