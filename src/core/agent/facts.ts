import { z } from "zod";

/**
 * What a TLS certificate inspection found (agent `tls-cert`). Days are fractional and measured
 * from the probe's start; the chain's earliest expiry matters as much as the leaf's, since an
 * expiring intermediate breaks every client just the same.
 */
export const CertFactsSchema = z.object({
  subject: z.string().max(300).optional(),
  issuer: z.string().max(300),
  /** Leaf certificate notAfter, unix ms. */
  notAfter: z.number().int(),
  daysLeft: z.number(),
  /** Earliest notAfter in the chain the server sent (leaf included), unix ms. */
  earliestNotAfter: z.number().int(),
  earliestDaysLeft: z.number(),
  sans: z.array(z.string().max(260)).max(50),
  selfSigned: z.boolean(),
  chainLength: z.number().int().min(1),
  /** The chain verifies against the system roots, or against the check's caFile when set. */
  trusted: z.boolean(),
  fingerprint256: z.string().max(100),
});
export type CertFacts = z.infer<typeof CertFactsSchema>;
