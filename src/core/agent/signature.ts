import { SIGNATURE_SCHEME, signingInput } from "./protocol.ts";

/**
 * HMAC-SHA256 request signatures with WebCrypto, which both workerd and Node 22 provide. The
 * comparison is crypto.subtle.verify, which is constant-time, so nothing about a valid signature
 * leaks through timing.
 */
const encoder = new TextEncoder();

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    usage,
  ]);
}

const toHex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

export async function signRequest(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await hmacKey(secret, "sign");
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(signingInput(timestamp, body)));
  return `${SIGNATURE_SCHEME}=${toHex(mac)}`;
}

/** Parses `v1=<64 hex>`; undefined when the header is not in that form. */
function parseSignature(header: string): Uint8Array | undefined {
  const m = /^v1=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m?.[1]) return undefined;
  const hex = m[1];
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export async function verifyRequest(
  secret: string,
  timestamp: string,
  body: string,
  header: string,
): Promise<boolean> {
  const mac = parseSignature(header);
  if (!mac) return false;
  const key = await hmacKey(secret, "verify");
  return crypto.subtle.verify("HMAC", key, mac, encoder.encode(signingInput(timestamp, body)));
}
