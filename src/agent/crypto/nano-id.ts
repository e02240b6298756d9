import { blake2b } from "@noble/hashes/blake2.js";

const ALPHABET = "13456789abcdefghijkmnopqrstuwxyz";

function base32(bytes: Uint8Array, bits: number): string {
  // Big-endian bit string of `bytes`, left-padded with zeros to `bits`, 5 bits per character.
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  for (let i = bits - 5; i >= 0; i -= 5) out += ALPHABET[Number((n >> BigInt(i)) & 31n)];
  return out;
}

/**
 * A Nano public key in account form with the given prefix (`node_` for node ids, `nano_` for
 * accounts): 4 zero bits + 256 key bits in Nano's base32, then the 5-byte BLAKE2b checksum of the
 * key, byte-reversed.
 */
export function nanoAddress(publicKey: Uint8Array, prefix = "node_"): string {
  if (publicKey.length !== 32) throw new RangeError("a Nano public key is 32 bytes");
  const check = blake2b(publicKey, { dkLen: 5 }).reverse();
  return `${prefix}${base32(publicKey, 260)}${base32(check, 40)}`;
}
