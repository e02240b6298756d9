import type { CheckOf } from "../../core/kinds/index.ts";
import type { ChainFacts } from "../../core/result.ts";
import type { Probe } from "../../probes/contract.ts";
import { ProbeFailure } from "../../probes/failure.ts";
import { okResult } from "../../probes/outcome.ts";
import { type CasperClientCert, casperClientCertificate, casperNodeId } from "../crypto/casper-identity.ts";
import { ByteReader } from "../net/byte-reader.ts";
import { connectTls } from "../net/connect.ts";
import { parseCasperHandshake } from "./casper-handshake.ts";

/** Renewed a year before it would expire; one certificate serves the agent process otherwise. */
const RENEW_BEFORE_MS = 365 * 86_400_000;
let identity: { cert: CasperClientCert; notAfter: number } | undefined;

function clientIdentity(now = Date.now()): CasperClientCert {
  if (!identity || identity.notAfter - now < RENEW_BEFORE_MS) {
    identity = { cert: casperClientCertificate(now), notAfter: now + 10 * 365 * 86_400_000 };
  }
  return identity.cert;
}

/**
 * Casper P2P (port 35000): TLS 1.3 with a throw-away self-signed P-521 / ECDSA-SHA512 certificate
 * with serial 1 (the node drops peers without one), then the node's first frame — a 4-byte big-endian
 * length and a MessagePack `Handshake` — gives its network name, protocol version and syncing flag.
 * The node id comes from its certificate. Nothing is sent after TLS: reading is enough.
 */
export const casperP2pProbe: Probe<CheckOf<"casper-p2p">> = async (check, run) => {
  const { deadline } = run;
  const me = clientIdentity();
  const socket = await connectTls(
    {
      host: check.host,
      port: check.port,
      cert: me.cert,
      key: me.key,
      minVersion: "TLSv1.3",
      maxVersion: "TLSv1.3",
      // Casper certificates are self-signed by design: validity is the node id, not a CA.
      rejectUnauthorized: false,
    },
    deadline.signal,
  );
  const latencyMs = deadline.elapsed();
  run.latencyMs = latencyMs;
  const reader = new ByteReader(socket, check.maxFrameBytes + 4);
  const peer = socket.getPeerX509Certificate();
  if (!peer) throw new ProbeFailure("tls", "node presented no certificate");
  const nodeId = casperNodeId(peer.publicKey);
  try {
    const length = (await reader.read(4, deadline.signal, "handshake frame")).readUInt32BE(0);
    if (length === 0) throw new ProbeFailure("protocol", "empty handshake frame");
    if (length > check.maxFrameBytes) {
      throw new ProbeFailure(
        "too_large",
        `handshake frame of ${length} bytes exceeds ${check.maxFrameBytes}`,
      );
    }
    const hs = parseCasperHandshake(await reader.read(length, deadline.signal, "handshake frame"));
    if (check.chainName !== undefined && hs.networkName !== check.chainName) {
      throw new ProbeFailure(
        "protocol",
        `node is on chain '${hs.networkName}', expected '${check.chainName}'`,
      );
    }
    const facts: ChainFacts = { chainName: hs.networkName, syncing: hs.isSyncing, nodeId };
    if (hs.protocolVersion) facts.version = hs.protocolVersion;
    return okResult(latencyMs, facts);
  } finally {
    socket.destroy();
  }
};
