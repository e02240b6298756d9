import { eddsa } from "@noble/curves/abstract/edwards.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { blake2b } from "@noble/hashes/blake2.js";

/**
 * Nano's signatures: Ed25519 with BLAKE2b-512 in place of SHA-512 (the audited @noble/curves and
 * @noble/hashes; nothing hand-written). Verification is strict RFC 8032 (not ZIP-215), and public
 * keys of small order are refused outright: with them a signature proves nothing (the identity key
 * and an all-zero signature "verify" any message under lenient rules).
 */

/** RFC 8032 §5.1.5 clamping of the hashed secret; @noble/curves takes it as a parameter. */
function clamp(bytes: Uint8Array): Uint8Array {
  bytes[0] = (bytes[0] ?? 0) & 248;
  bytes[31] = ((bytes[31] ?? 0) & 127) | 64;
  return bytes;
}

const nanoEd25519 = eddsa(ed25519.Point, blake2b, { adjustScalarBytes: clamp, zip215: false });

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return nanoEd25519.getPublicKey(secretKey);
}

export function sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return nanoEd25519.sign(message, secretKey);
}

/** False for any malformed, small-order or non-canonical input; never throws. */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    if (ed25519.Point.fromBytes(publicKey, false).isSmallOrder()) return false;
    return nanoEd25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
