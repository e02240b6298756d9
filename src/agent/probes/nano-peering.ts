import { randomBytes } from "node:crypto";
import type { CheckOf } from "../../core/kinds/index.ts";
import type { Probe } from "../../probes/contract.ts";
import { ProbeFailure } from "../../probes/failure.ts";
import { okResult } from "../../probes/outcome.ts";
import { verify } from "../crypto/nano-ed25519.ts";
import { nanoAddress } from "../crypto/nano-id.ts";
import { ByteReader } from "../net/byte-reader.ts";
import { connectTcp } from "../net/connect.ts";
import {
  expectNetwork,
  HANDSHAKE_FLAG,
  handshakePayloadSize,
  handshakeQuery,
  LIVE_GENESIS,
  MESSAGE_TYPE,
  parseHandshakeResponse,
  parseHeader,
  signedData,
} from "./nano-wire.ts";

/**
 * Nano peering (TCP 7075): sends a node_id_handshake query with a fresh 32-byte cookie — the only
 * first message a node accepts besides bootstrap requests — and verifies the signed reply
 * (Ed25519-BLAKE2b over the cookie, or cookie ‖ salt ‖ genesis in v2). Records the node id,
 * protocol version and network. A reply that does not verify, or from another network or genesis,
 * fails the probe.
 */
export const nanoPeeringProbe: Probe<CheckOf<"nano-peering">> = async (check, run) => {
  const { deadline } = run;
  const socket = await connectTcp(check.host, check.port, deadline.signal);
  try {
    const reader = new ByteReader(socket, 1024);
    const cookie = randomBytes(32);
    socket.write(handshakeQuery(check.network, cookie));
    const header = parseHeader(await reader.read(8, deadline.signal, "handshake reply"));
    const latencyMs = deadline.elapsed();
    run.latencyMs = latencyMs;
    expectNetwork(header, check.network);
    if (header.type !== MESSAGE_TYPE.nodeIdHandshake) {
      throw new ProbeFailure(
        "protocol",
        `node answered with message type ${header.type}, not node_id_handshake`,
      );
    }
    if (!(header.extensions & HANDSHAKE_FLAG.response)) {
      throw new ProbeFailure("protocol", "handshake reply carries no signed response");
    }
    const payload = await reader.read(
      handshakePayloadSize(header.extensions),
      deadline.signal,
      "handshake payload",
    );
    const response = parseHandshakeResponse(header.extensions, payload);
    if (!response) throw new ProbeFailure("protocol", "handshake reply carries no signed response");
    if (!verify(response.nodeId, signedData(cookie, response), response.signature)) {
      throw new ProbeFailure("protocol", "handshake signature does not verify for the node id it names");
    }
    const genesis = check.genesis ?? (check.network === "live" ? LIVE_GENESIS : undefined);
    if (
      response.genesis &&
      genesis &&
      response.genesis.toString("hex").toUpperCase() !== genesis.toUpperCase()
    ) {
      throw new ProbeFailure("protocol", "node signs for another genesis block (another network or a fork)");
    }
    return okResult(latencyMs, {
      nodeId: nanoAddress(response.nodeId, "node_"),
      protocolVersion: String(header.versionUsing),
      chainName: check.network,
    });
  } finally {
    socket.destroy();
  }
};
