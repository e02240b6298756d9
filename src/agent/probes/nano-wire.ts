import type { NanoNetwork } from "../../core/kinds/fields.ts";
import { ProbeFailure } from "../../probes/failure.ts";

/**
 * Nano peering messages (CHAINS.md B.2): an 8-byte header — network id (big-endian), version max,
 * version using, version min, message type, extensions (little-endian) — and the payloads the agent
 * needs: node_id_handshake and keepalive.
 */
export const NETWORK_IDS: Record<NanoNetwork, number> = {
  live: 0x5243,
  beta: 0x5242,
  test: 0x5258,
  dev: 0x5241,
};
export const LIVE_GENESIS = "991CF190094C00F0B68E2E5F75F6BEE95A2E0BD93CEAA4A6734DB9F19B728948";

export const MESSAGE_TYPE = { keepalive: 0x02, nodeIdHandshake: 0x0a, telemetryReq: 0x0c } as const;
export const HANDSHAKE_FLAG = { query: 0x1, response: 0x2, v2: 0x4 } as const;

export interface Versions {
  max: number;
  using: number;
  min: number;
}

/** V27: protocol 21 (0x15), minimum 20 (0x14) — what the reference query sample carries. */
export const CURRENT_VERSIONS: Versions = { max: 0x15, using: 0x15, min: 0x14 };
/** V19/V20, the last releases that answer on UDP: protocol 17 (0x11). */
export const UDP_ERA_VERSIONS: Versions = { max: 0x11, using: 0x11, min: 0x10 };

export interface NanoHeader {
  networkId: number;
  network?: NanoNetwork;
  versionMax: number;
  versionUsing: number;
  versionMin: number;
  type: number;
  extensions: number;
}

export function encodeHeader(network: NanoNetwork, type: number, extensions: number, v: Versions): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(NETWORK_IDS[network], 0);
  b[2] = v.max;
  b[3] = v.using;
  b[4] = v.min;
  b[5] = type;
  b.writeUInt16LE(extensions, 6);
  return b;
}

export function parseHeader(b: Buffer): NanoHeader {
  if (b.length < 8) throw new ProbeFailure("protocol", "Nano message shorter than its header");
  const networkId = b.readUInt16BE(0);
  const network = (Object.keys(NETWORK_IDS) as NanoNetwork[]).find((n) => NETWORK_IDS[n] === networkId);
  return {
    networkId,
    network,
    versionMax: b[2] ?? 0,
    versionUsing: b[3] ?? 0,
    versionMin: b[4] ?? 0,
    type: b[5] ?? 0,
    extensions: b.readUInt16LE(6),
  };
}

/** Fails unless the header belongs to the expected network. */
export function expectNetwork(h: NanoHeader, network: NanoNetwork): void {
  if (h.networkId === NETWORK_IDS[network]) return;
  const magic = Buffer.from([h.networkId >> 8, h.networkId & 0xff]).toString("latin1");
  const printable = /^[\x20-\x7e]{2}$/.test(magic) ? ` '${magic}'` : "";
  throw new ProbeFailure(
    "protocol",
    h.network
      ? `node is on the ${h.network} network, expected ${network}`
      : `not a Nano ${network} message (network id 0x${h.networkId.toString(16)}${printable})`,
  );
}

export function handshakeQuery(network: NanoNetwork, cookie: Buffer, v = CURRENT_VERSIONS): Buffer {
  return Buffer.concat([
    encodeHeader(network, MESSAGE_TYPE.nodeIdHandshake, HANDSHAKE_FLAG.query | HANDSHAKE_FLAG.v2, v),
    cookie,
  ]);
}

export function handshakePayloadSize(extensions: number): number {
  const query = extensions & HANDSHAKE_FLAG.query ? 32 : 0;
  const response = extensions & HANDSHAKE_FLAG.response ? (extensions & HANDSHAKE_FLAG.v2 ? 160 : 96) : 0;
  return query + response;
}

export interface HandshakeResponse {
  nodeId: Buffer;
  salt?: Buffer;
  genesis?: Buffer;
  signature: Buffer;
}

/** The response part of a node_id_handshake payload (after the peer's own query cookie, if any). */
export function parseHandshakeResponse(extensions: number, payload: Buffer): HandshakeResponse | undefined {
  if (!(extensions & HANDSHAKE_FLAG.response)) return undefined;
  const r = payload.subarray(extensions & HANDSHAKE_FLAG.query ? 32 : 0);
  if (extensions & HANDSHAKE_FLAG.v2) {
    return {
      nodeId: r.subarray(0, 32),
      salt: r.subarray(32, 64),
      genesis: r.subarray(64, 96),
      signature: r.subarray(96, 160),
    };
  }
  return { nodeId: r.subarray(0, 32), signature: r.subarray(32, 96) };
}

/** What the node signed: our cookie (v1), or cookie ‖ salt ‖ genesis (v2, V25+). */
export function signedData(cookie: Buffer, r: HandshakeResponse): Buffer {
  return r.salt && r.genesis ? Buffer.concat([cookie, r.salt, r.genesis]) : cookie;
}

/** keepalive: 8 peer slots of 16-byte IPv6 + 2-byte port, all empty. */
export function keepalive(network: NanoNetwork, v = UDP_ERA_VERSIONS): Buffer {
  return Buffer.concat([encodeHeader(network, MESSAGE_TYPE.keepalive, 0, v), Buffer.alloc(8 * 18)]);
}
