import { createHash, type KeyObject, X509Certificate } from "node:crypto";
import { buildCertificate, generateEcKeys, OID, signatureAlgorithmOid } from "./x509.ts";

/**
 * Casper P2P identities (reference/CHAINS.md A.6). A node accepts a peer whose certificate is
 * self-signed, ECDSA-with-SHA512 on P-521, serial 1 and currently valid; its node id is the SHA-512
 * of its public key in compressed SEC1 form.
 */

export interface CasperClientCert {
  cert: string;
  key: string;
  nodeId: string;
}

/** A throw-away client certificate, as casper-node generates its own (valid now−60 s … +10 years). */
export function casperClientCertificate(now = Date.now()): CasperClientCert {
  const keys = generateEcKeys("P-521");
  const built = buildCertificate({
    subject: { commonName: "chain-uptime-agent", organization: "chain-uptime", country: "US" },
    keys,
    serial: 1,
    notBefore: now - 60_000,
    notAfter: now + 10 * 365 * 86_400_000,
    hash: "sha512",
    bare: true,
  });
  return { cert: built.pem, key: built.keyPem, nodeId: casperNodeId(keys.publicKey) };
}

/** SHA-512 of the compressed EC point, hex (Casper's KeyFingerprint / NodeId). */
export function casperNodeId(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: "jwk" });
  if (!jwk.x || !jwk.y) throw new Error("not an EC public key");
  const x = Buffer.from(jwk.x, "base64url");
  const y = Buffer.from(jwk.y, "base64url");
  const prefix = ((y[y.length - 1] ?? 0) & 1) === 1 ? 0x03 : 0x02;
  return createHash("sha512")
    .update(Buffer.concat([Buffer.from([prefix]), x]))
    .digest("hex");
}

/** `tls:abcd..ef01`, the way casper-node prints a node id. */
export function shortNodeId(nodeId: string): string {
  return `tls:${nodeId.slice(0, 4)}..${nodeId.slice(-4)}`;
}

/** Why a certificate would not pass casper-node's validate_self_signed_cert, or undefined if it would. */
export function casperCertProblem(certDer: Buffer, now = Date.now()): string | undefined {
  let signatureOid: string;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certDer);
    signatureOid = signatureAlgorithmOid(certDer);
  } catch (e) {
    return `unreadable certificate: ${(e as Error).message}`;
  }
  if (signatureOid !== OID.ecdsaSha512) return `signature algorithm ${signatureOid} is not ecdsa-with-SHA512`;
  if (x509.publicKey.asymmetricKeyDetails?.namedCurve !== "secp521r1") return "key is not on P-521";
  const serial = BigInt(`0x${x509.serialNumber || "0"}`);
  if (serial !== 1n) return `serial number is ${serial}, not 1`;
  if (x509.issuer !== x509.subject) return "not self-signed (issuer differs from subject)";
  if (!x509.verify(x509.publicKey)) return "self-signature does not verify";
  if (now < Date.parse(x509.validFrom) || now > Date.parse(x509.validTo)) return "not valid now";
  return undefined;
}
