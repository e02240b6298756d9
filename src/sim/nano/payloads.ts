import type { NanoNetwork } from "../types.ts";
import type { NanoCounts } from "./ledger.ts";

/**
 * Nano RPC answers in the node's real shapes (shared/reference/samples/nano-*.json): every value a
 * string, as boost::property_tree writes them.
 */

/** Genesis hashes: live is the real one (CHAINS.md B.1); the others are stand-ins, marked as such. */
export const GENESIS: Record<NanoNetwork, string> = {
  live: "991CF190094C00F0B68E2E5F75F6BEE95A2E0BD93CEAA4A6734DB9F19B728948",
  beta: "5B1A0B4E5E15B5C6E1F1C1B5D2B0D4E7A9C3F8E2D1B0A9C8D7E6F5A4B3C2D1E0", // simulator stand-in
  test: "7E7C9A4D5B3F1E2D0C9B8A7F6E5D4C3B2A1F0E9D8C7B6A5F4E3D2C1B0A9F8E7D", // simulator stand-in
  dev: "E89208DD038FBB269987689621D52292AE9C35941A7484756ECCED92A65093BA", // simulator stand-in
};

export interface NodeIdentity {
  network: NanoNetwork;
  /** "V27.1" */
  nodeVersion: string;
  /** The peering protocol version that goes with it (V27 → 21). */
  protocolVersion: number;
}

/** Protocol version per major version (CHAINS.md B.1). */
export function protocolVersionOf(nodeVersion: string): number {
  const major = Number(/(\d+)/.exec(nodeVersion)?.[1] ?? 27);
  if (major >= 27) return 21;
  if (major === 26) return 20;
  if (major >= 24) return 19;
  if (major >= 21) return 18;
  return 17;
}

export const s = (n: number | bigint) => String(n);

export function blockCount(counts: NanoCounts): Record<string, string> {
  return { count: s(counts.count), unchecked: s(counts.unchecked), cemented: s(counts.cemented) };
}

export function version(id: NodeIdentity): Record<string, string> {
  return {
    rpc_version: "1",
    store_version: "24",
    protocol_version: s(id.protocolVersion),
    node_vendor: `Nano ${id.nodeVersion}`,
    store_vendor: "LMDB 0.9.31",
    network: id.network,
    network_identifier: GENESIS[id.network],
    build_info: `Build Info chain-uptime-sim "gcc version " "13" "BOOST 108200" BUILT "Nov 21 2026"`,
  };
}

/**
 * `telemetry`: the summary of peers' telemetry (what the node's peers report, so a lagging node
 * still shows the network's count here), or with address/port of the node itself, its own.
 */
export function telemetry(
  id: NodeIdentity,
  counts: NanoCounts,
  peers: number,
  uptimeSec: number,
  now: number,
): Record<string, string> {
  const [major, minor] = (/(\d+)(?:\.(\d+))?/.exec(id.nodeVersion) ?? []).slice(1);
  return {
    block_count: s(counts.count),
    cemented_count: s(counts.cemented),
    unchecked_count: s(counts.unchecked),
    account_count: s(Math.floor(counts.cemented / 6)),
    bandwidth_cap: "10485760",
    peer_count: s(peers),
    protocol_version: s(id.protocolVersion),
    uptime: s(uptimeSec),
    genesis_block: GENESIS[id.network],
    major_version: major ?? "27",
    minor_version: minor ?? "0",
    patch_version: "0",
    pre_release_version: "0",
    maker: "0",
    timestamp: s(now),
    active_difficulty: "fffffff800000000",
  };
}

/** `peers`: address → protocol version; with peer_details, an object per peer. Empty is `""` (boost's empty tree). */
export function peers(count: number, protocolVersion: number, details: boolean): Record<string, unknown> {
  if (count === 0) return { peers: "" };
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const address = `[::ffff:10.${(i >> 8) & 255}.${i & 255}.7]:7075`;
    out[address] = details
      ? {
          protocol_version: s(protocolVersion),
          node_id: `node_1sim${String(i).padStart(4, "0")}peer${"1".repeat(47)}`.slice(0, 65),
          type: "tcp",
          peering: address,
        }
      : s(protocolVersion);
  }
  return { peers: out };
}

/** `confirmation_quorum` (nano-confirmation_quorum.json); peers' stake shrinks with fewer peers. */
export function confirmationQuorum(peerCount: number): Record<string, string> {
  const online = 82939414347555434636491651871033324568n;
  const seen = peerCount === 0 ? 0n : (online * BigInt(Math.min(peerCount, 40))) / 48n;
  return {
    quorum_delta: s((online * 50n) / 100n),
    online_weight_quorum_percent: "50",
    online_weight_minimum: "60000000000000000000000000000000000000",
    online_stake_total: s(online),
    peers_stake_total: s(seen),
    trended_stake_total: "81939414347555434636491651871033324568",
  };
}

/** boost::property_tree write_json layout: 4-space indent, newline at the end. */
export function boostJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}
