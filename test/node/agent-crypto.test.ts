import { createHash, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blake2b } from "../../src/agent/crypto/blake2b.ts";
import {
  casperCertProblem,
  casperClientCertificate,
  shortNodeId,
} from "../../src/agent/crypto/casper-identity.ts";
import { publicKeyOf, sign, verify } from "../../src/agent/crypto/ed25519-blake2b.ts";
import { decode, encode, MsgpackError } from "../../src/agent/crypto/msgpack.ts";
import { nanoAddress } from "../../src/agent/crypto/nano-id.ts";
import { buildCertificate, generateEcKeys, OID, readCertificate } from "../../src/agent/crypto/x509.ts";
import { parseCasperHandshake } from "../../src/agent/probes/casper-handshake.ts";
import { handshakeQuery, keepalive, parseHeader } from "../../src/agent/probes/nano-wire.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("BLAKE2b", () => {
  it("matches RFC 7693's 'abc' vector and node:crypto's blake2b512 across block boundaries", () => {
    expect(hex(blake2b(Buffer.from("abc")))).toBe(
      "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    );
    for (const n of [0, 1, 127, 128, 129, 256, 1000]) {
      const data = Buffer.alloc(n, n & 0xff);
      expect(hex(blake2b(data))).toBe(createHash("blake2b512").update(data).digest("hex"));
    }
  });

  it("produces other digest lengths (not truncations)", () => {
    expect(blake2b(Buffer.from("abc"), 5)).toHaveLength(5);
    expect(hex(blake2b(Buffer.from("abc"), 32))).not.toBe(hex(blake2b(Buffer.from("abc"))).slice(0, 64));
  });
});

describe("Ed25519-BLAKE2b (Nano)", () => {
  // Nano's documented key pair (seed 0…0, index 0): private key → public key → account.
  const prv = Buffer.from("9F0E444C69F77A49BD0BE89DB92C38FE713E0963165CCA12FAF5712D7657120F", "hex");
  it("derives Nano's known public key and account", () => {
    const pub = publicKeyOf(prv);
    expect(hex(pub).toUpperCase()).toBe("C008B814A7D269A1FA3C6528B19201A24D797912DB9996FF02A1FF356E45552B");
    expect(nanoAddress(pub, "nano_")).toBe(
      "nano_3i1aq1cchnmbn9x5rsbap8b15akfh7wj7pwskuzi7ahz8oq6cobd99d4r3b7",
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
});

describe("X.509 from our DER code", () => {
  it("the Casper client certificate is what casper-node accepts: P-521, ECDSA-SHA512, serial 1, self-signed", () => {
    const c = casperClientCertificate();
    const x = new X509Certificate(c.cert);
    expect(x.serialNumber).toBe("01");
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe("secp521r1");
    expect(readCertificate(x.raw).signatureOid).toBe(OID.ecdsaSha512);
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
