import { z } from "zod";

/**
 * Keys as each chain writes them, checked by format at config load (a bad key names its field).
 * Casper: a tag byte then the key, hex: `01` + 32-byte ed25519 or `02` + 33-byte secp256k1.
 * Nano: `nano_` (or the older `xrb_`) + 60 characters of Nano's base32 alphabet (no 0, 2, l, v).
 * Checksums are not verified here (that needs blake2b); a mistyped key is still caught by the
 * network answering that it does not know it.
 */
export const CasperPublicKeySchema = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(
    z
      .string()
      .regex(
        /^(01[0-9a-f]{64}|02[0-9a-f]{66})$/,
        "expected a Casper public key: 01 + 64 hex digits (ed25519) or 02 + 66 (secp256k1)",
      ),
  );

export const NanoAccountSchema = z
  .string()
  .regex(
    /^(nano|xrb)_[13][13456789abcdefghijkmnopqrstuwxyz]{59}$/,
    "expected a Nano account: nano_ + 60 characters of 13456789abcdefghijkmnopqrstuwxyz",
  );

/** The same account under either prefix (nodes answer with `nano_`). */
export const nanoAccountId = (account: string): string => account.replace(/^xrb_/, "nano_");
