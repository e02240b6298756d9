import { z } from "zod";

/**
 * Casper prints timestamps as RFC 3339 with milliseconds ("2023-05-10T09:20:10.752Z"), even where
 * its JSON Schema claims integers. Parsed leniently (any form Date.parse accepts with a date and a
 * time) and turned into Unix ms.
 */
export const CasperTimestampSchema = z
  .string()
  .max(64)
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(Date.parse(s)),
    "expected an RFC 3339 timestamp",
  )
  .transform((s) => Date.parse(s));

/** Block heights are u64 in Rust; JavaScript numbers are exact up to 2^53, far beyond any chain. */
export const HeightSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Keeps hostile strings inside the ChainFacts length limits instead of failing the whole probe. */
export const clip = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);
