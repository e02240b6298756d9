import { execFileSync, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ED25519_TORSION_SUBGROUP } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import {
  casperCertProblem,
  casperClientCertificate,
  shortNodeId,
} from "../../src/agent/crypto/casper-identity.ts";
import { decode, encode, MsgpackError } from "../../src/agent/crypto/msgpack.ts";
import { publicKeyOf, sign, verify } from "../../src/agent/crypto/nano-ed25519.ts";
import { nanoAddress } from "../../src/agent/crypto/nano-id.ts";
import { buildCertificate, generateEcKeys, OID, signatureAlgorithmOid } from "../../src/agent/crypto/x509.ts";
import { parseCasperHandshake } from "../../src/agent/probes/casper-handshake.ts";
import { handshakeQuery, keepalive, parseHeader } from "../../src/agent/probes/nano-wire.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("Ed25519-BLAKE2b (Nano), from @noble/curves and @noble/hashes", () => {
  // Nano's documented key pair (seed 0…0, index 0): private key → public key → account.
  const prv = Buffer.from("9F0E444C69F77A49BD0BE89DB92C38FE713E0963165CCA12FAF5712D7657120F", "hex");
  // The public key is the clamped BLAKE2b-512 hash of the secret times the base point: these
  // vectors would not come out with SHA-512 (plain Ed25519) or with another clamping.
  it("derives Nano's known public keys and account", () => {
    const pub = publicKeyOf(prv);
    expect(hex(pub).toUpperCase()).toBe("C008B814A7D269A1FA3C6528B19201A24D797912DB9996FF02A1FF356E45552B");
    expect(nanoAddress(pub, "nano_")).toBe(
      "nano_3i1aq1cchnmbn9x5rsbap8b15akfh7wj7pwskuzi7ahz8oq6cobd99d4r3b7",
    );
    // A second published pair (jnano's Ed25519-BLAKE2b test key).
    const other = Buffer.from("2091F47280DEAE6A7B5CE0CAFEA85C330BAD2897DAD896B705814DD963BADE99", "hex");
    expect(hex(publicKeyOf(other)).toUpperCase()).toBe(
      "854CBBAE20ABAD2E8DFF056E00B681FBD00D46FF72085716EB913D9E66CFDBE9",
    );
  });

  it("verifies its own signatures and rejects altered messages, signatures and keys", () => {
    const msg = Buffer.from("cookie salt genesis");
    const sig = sign(prv, msg);
    const pub = publicKeyOf(prv);
    expect(verify(pub, msg, sig)).toBe(true);
    expect(verify(pub, Buffer.from("cookie salt genesiS"), sig)).toBe(false);
    const bad = Uint8Array.from(sig);
    bad[40] = (bad[40] ?? 0) ^ 1;
    expect(verify(pub, msg, bad)).toBe(false);
    expect(verify(publicKeyOf(Buffer.alloc(32, 1)), msg, sig)).toBe(false);
    expect(verify(pub, msg, sig.subarray(0, 63))).toBe(false);
  });

  it("refuses the forgery the hand-written verifier accepted: identity key, all-zero signature", () => {
    const identity = Buffer.alloc(32);
    identity[0] = 1; // y = 1: the neutral element
    for (const msg of [Buffer.from("any message"), Buffer.alloc(0), Buffer.alloc(80, 7)]) {
      expect(verify(identity, msg, Buffer.alloc(64))).toBe(false);
    }
  });

  it("refuses every small-order public key, whatever the signature", () => {
    const msg = Buffer.from("handshake cookie");
    for (const point of ED25519_TORSION_SUBGROUP) {
      const key = Buffer.from(point, "hex");
      expect(verify(key, msg, Buffer.alloc(64))).toBe(false);
      // R = the key itself and S = 0 is the classic small-order forgery shape.
      expect(verify(key, msg, Buffer.concat([key, Buffer.alloc(32)]))).toBe(false);
    }
  });

  it("refuses a non-canonical S (S ≥ L)", () => {
    const msg = Buffer.from("malleable");
    const sig = Buffer.from(sign(prv, msg));
    // L = 2^252 + 27742317777372353535851937790883648493, little-endian; S + L is the same scalar.
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i] ?? 0);
    let t = s + L;
    for (let i = 0; i < 32; i++) {
      sig[32 + i] = Number(t & 0xffn);
      t >>= 8n;
    }
    expect(verify(publicKeyOf(prv), msg, sig)).toBe(false);
  });
});

describe("X.509 from our DER code", () => {
  it("OpenSSL reads the Casper certificate as casper-node needs it (an independent parser)", () => {
    const dir = mkdtempSync(join(tmpdir(), "casper-cert-"));
    const file = join(dir, "cert.pem");
    writeFileSync(file, casperClientCertificate().cert);
    const text = execFileSync("openssl", ["x509", "-in", file, "-noout", "-text"], { encoding: "utf8" });
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA512/);
    expect(text).toMatch(/Serial Number: 1 \(0x1\)/);
    expect(text).toMatch(/ASN1 OID: secp521r1/);
    const verified = spawnSync("openssl", ["verify", "-CAfile", file, file], { encoding: "utf8" });
    expect(verified.stdout.trim()).toBe(`${file}: OK`);
  });

  it("the Casper client certificate is what casper-node accepts: P-521, ECDSA-SHA512, serial 1, self-signed", () => {
    const c = casperClientCertificate();
    const x = new X509Certificate(c.cert);
    expect(x.serialNumber).toBe("01");
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe("secp521r1");
    expect(signatureAlgorithmOid(x.raw)).toBe(OID.ecdsaSha512);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(casperCertProblem(x.raw)).toBeUndefined();
    expect(c.nodeId).toMatch(/^[0-9a-f]{128}$/);
    expect(shortNodeId(c.nodeId)).toMatch(/^tls:[0-9a-f]{4}\.\.[0-9a-f]{4}$/);
  });

  it("casperCertProblem names what a node would refuse", () => {
    const now = Date.now();
    const p256 = generateEcKeys("P-256");
    const wrongCurve = buildCertificate({
      subject: { commonName: "x" },
      keys: p256,
      serial: 1,
      notBefore: now - 1000,
      notAfter: now + 1e9,
      bare: true,
    });
    expect(casperCertProblem(new X509Certificate(wrongCurve.pem).raw)).toMatch(/not ecdsa-with-SHA512|P-521/);
    const p521 = generateEcKeys("P-521");
    const serial2 = buildCertificate({
      subject: { commonName: "x" },
      keys: p521,
      serial: 2,
      notBefore: now - 1000,
      notAfter: now + 1e9,
      bare: true,
    });
    expect(casperCertProblem(new X509Certificate(serial2.pem).raw)).toBe("serial number is 2, not 1");
    const expired = buildCertificate({
      subject: { commonName: "x" },
      keys: p521,
      serial: 1,
      notBefore: now - 2e9,
      notAfter: now - 1e9,
      bare: true,
    });
    expect(casperCertProblem(new X509Certificate(expired.pem).raw)).toBe("not valid now");
  });

  it("CA-issued certificates verify with node:crypto (chain, SANs, dates)", () => {
    const now = Date.now();
    const ca = generateEcKeys("P-256");
    const caCert = buildCertificate({
      subject: { commonName: "CA" },
      keys: ca,
      ca: true,
      notBefore: now - 1000,
      notAfter: now + 1e9,
    });
    const leaf = buildCertificate({
      subject: { commonName: "leaf" },
      keys: generateEcKeys("P-256"),
      issuer: { name: { commonName: "CA" }, keys: ca },
      notBefore: now - 1000,
      notAfter: Date.UTC(2051, 0, 1), // GeneralizedTime after 2049
      altNames: ["node.example", "10.0.0.1", "::1"],
    });
    const x = new X509Certificate(leaf.pem);
    expect(x.checkIssued(new X509Certificate(caCert.pem))).toBe(true);
    expect(x.verify(ca.publicKey)).toBe(true);
    expect(x.subjectAltName).toBe("DNS:node.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    expect(new Date(x.validTo).getUTCFullYear()).toBe(2051);
  });
});

describe("MessagePack and the Casper handshake frame", () => {
  it("round-trips the value types a handshake uses", () => {
    const v = [0, ["casper", "1.2.3.4:35000", [1, 5, 8], null, true, new Uint8Array([1, 2, 3])]];
    expect(decode(encode(v))).toEqual(v);
    expect(decode(encode(new Map([["k", 70000]])))).toEqual(new Map([["k", 70000]]));
    expect(decode(encode(-5))).toBe(-5);
    expect(decode(encode("x".repeat(300)))).toBe("x".repeat(300));
  });

  it("refuses hostile input instead of allocating: lying lengths, deep nesting, trailing bytes", () => {
    expect(() => decode(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]))).toThrow(MsgpackError);
    expect(() => decode(Buffer.from([0xdb, 0x7f, 0xff, 0xff, 0xff, 0x41]))).toThrow(MsgpackError);
    expect(() => decode(Buffer.alloc(100, 0x91))).toThrow(/nested too deeply/);
    expect(() => decode(Buffer.from([0xc0, 0xc0]))).toThrow(/after the MessagePack value/);
    expect(() => decode(Buffer.from([0xc1]))).toThrow(/invalid/);
  });

  it("reads network name, version and syncing flag, and nothing else", () => {
    const frame = encode([0, ["casper", "1.2.3.4:35000", "1.5.8", null, true, new Uint8Array(32)]]);
    expect(parseCasperHandshake(frame)).toEqual({
      networkName: "casper",
      protocolVersion: "1.5.8",
      isSyncing: true,
      chainspecHash: "00".repeat(32),
    });
    const named = encode(
      new Map([
        [
          "Handshake",
          new Map<string, unknown>([
            ["network_name", "casper-test"],
            [
              "protocol_version",
              new Map([
                ["major", 2],
                ["minor", 0],
                ["patch", 0],
              ]),
            ],
          ]),
        ],
      ]) as never,
    );
    expect(parseCasperHandshake(named)).toMatchObject({
      networkName: "casper-test",
      protocolVersion: "2.0.0",
      isSyncing: false,
    });
    expect(() => parseCasperHandshake(encode([0, [42]]))).toThrow(/no network_name/);
  });
});

describe("Nano wire format", () => {
  it("builds the query header of the reference sample", () => {
    const q = handshakeQuery("live", Buffer.from(Array.from({ length: 32 }, (_, i) => i)));
    expect(q.toString("hex")).toBe(
      "52431515140a0500000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    );
    expect(parseHeader(q)).toMatchObject({ network: "live", type: 0x0a, extensions: 5, versionUsing: 0x15 });
  });

  it("builds a 152-byte keepalive", () => {
    const k = keepalive("live");
    expect(k).toHaveLength(8 + 144);
    expect(parseHeader(k)).toMatchObject({ network: "live", type: 0x02 });
  });
});
