import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { isIP } from "node:net";
import * as der from "./der.ts";

/**
 * X.509 v3 certificates built with node:crypto keys and our DER encoder, so the agent needs no
 * openssl binary at run time. Used for the throw-away Casper P2P certificate and, in tests, for
 * private CAs, server certificates and expiring/expired chains.
 */

export const OID = {
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  ecdsaSha384: "1.2.840.10045.4.3.3",
  ecdsaSha512: "1.2.840.10045.4.3.4",
  p256: "1.2.840.10045.3.1.7",
  p521: "1.3.132.0.35",
  commonName: "2.5.4.3",
  country: "2.5.4.6",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

export interface Name {
  commonName: string;
  organization?: string;
  country?: string;
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface CertSpec {
  subject: Name;
  /** The subject's key pair; its public half goes into the certificate. */
  keys: KeyPair;
  /** Who signs: omitted for a self-signed certificate. */
  issuer?: { name: Name; keys: KeyPair };
  serial?: bigint | number;
  notBefore: number;
  notAfter: number;
  /** DNS names and IP addresses for subjectAltName. */
  altNames?: string[];
  ca?: boolean;
  /** Signature hash; default sha512 for P-521 keys and sha256 otherwise. */
  hash?: "sha256" | "sha384" | "sha512";
  /** Omit all extensions (Casper's own node certificates carry none). */
  bare?: boolean;
}

export interface BuiltCert {
  der: Buffer;
  pem: string;
  keyPem: string;
}

export function generateEcKeys(curve: "P-256" | "P-521"): KeyPair {
  return generateKeyPairSync("ec", { namedCurve: curve });
}

function encodeName(n: Name): Buffer {
  const rdn = (type: string, value: Buffer) => der.set(der.sequence(der.oid(type), value));
  const parts: Buffer[] = [];
  if (n.country) parts.push(rdn(OID.country, der.printable(n.country)));
  if (n.organization) parts.push(rdn(OID.organization, der.utf8(n.organization)));
  parts.push(rdn(OID.commonName, der.utf8(n.commonName)));
  return der.sequence(...parts);
}

function spkiDer(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "spki" });
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1). */
function keyId(key: KeyObject): Buffer {
  const spki = der.read(spkiDer(key));
  const bits = der.children(spki)[1];
  if (!bits) throw new Error("SPKI without a key");
  return createHash("sha1").update(bits.content.subarray(1)).digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? der.sequence(der.oid(id), der.boolean(true), der.octetString(value))
    : der.sequence(der.oid(id), der.octetString(value));
}

function altName(name: string): Buffer {
  if (isIP(name) === 4) return der.implicitPrimitive(7, Buffer.from(name.split(".").map(Number)));
  if (isIP(name) === 6) {
    const full = name.includes("::") ? expandIpv6(name) : name;
    return der.implicitPrimitive(7, Buffer.from(full.split(":").join(""), "hex"));
  }
  return der.implicitPrimitive(2, Buffer.from(name, "ascii"));
}

function expandIpv6(ip: string): string {
  const [head = "", tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.map((g) => g.padStart(4, "0")).join(":");
}

function curveOf(key: KeyObject): string | undefined {
  return key.asymmetricKeyDetails?.namedCurve;
}

function sigAlg(hash: "sha256" | "sha384" | "sha512"): Buffer {
  const id = hash === "sha512" ? OID.ecdsaSha512 : hash === "sha384" ? OID.ecdsaSha384 : OID.ecdsaSha256;
  return der.sequence(der.oid(id));
}

/** Builds and signs a certificate (ECDSA keys). */
export function buildCertificate(spec: CertSpec): BuiltCert {
  const signer = spec.issuer ?? { name: spec.subject, keys: spec.keys };
  const hash = spec.hash ?? (curveOf(signer.keys.privateKey) === "secp521r1" ? "sha512" : "sha256");
  const extensions: Buffer[] = [];
  if (!spec.bare) {
    extensions.push(
      extension(OID.basicConstraints, true, der.sequence(...(spec.ca ? [der.boolean(true)] : []))),
      // digitalSignature (+ keyCertSign, cRLSign for a CA)
      extension(
        OID.keyUsage,
        true,
        spec.ca ? Buffer.from([0x03, 0x02, 0x01, 0x86]) : Buffer.from([0x03, 0x02, 0x07, 0x80]),
      ),
      extension(OID.subjectKeyId, false, der.octetString(keyId(spec.keys.publicKey))),
      extension(
        OID.authorityKeyId,
        false,
        der.sequence(der.implicitPrimitive(0, keyId(signer.keys.publicKey))),
      ),
    );
    if (!spec.ca) {
      extensions.push(
        extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth), der.oid(OID.clientAuth))),
      );
    }
    if (spec.altNames?.length) {
      extensions.push(extension(OID.subjectAltName, false, der.sequence(...spec.altNames.map(altName))));
    }
  }
  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(spec.serial ?? 1),
    sigAlg(hash),
    encodeName(signer.name),
    der.sequence(der.time(spec.notBefore), der.time(spec.notAfter)),
    encodeName(spec.subject),
    spkiDer(spec.keys.publicKey),
    ...(extensions.length ? [der.explicit(3, der.sequence(...extensions))] : []),
  );
  const signature = sign(hash, tbs, { key: signer.keys.privateKey, dsaEncoding: "der" });
  const certDer = der.sequence(tbs, sigAlg(hash), der.bitString(signature));
  return {
    der: certDer,
    pem: toPem(certDer, "CERTIFICATE"),
    keyPem: spec.keys.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  };
}

export function toPem(bytes: Buffer, label: string): string {
  const b64 = bytes.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

/**
 * The signature algorithm's OID, the one field of a certificate node:crypto's X509Certificate does
 * not expose (everything else is read through it).
 */
export function signatureAlgorithmOid(certDer: Buffer): string {
  const [, alg] = der.children(der.read(certDer));
  if (!alg) throw new Error("not a certificate");
  const oid = der.children(alg)[0];
  return oid ? der.decodeOid(oid.content) : "";
}
