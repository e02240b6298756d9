import { z } from "zod";

/**
 * Chain-health thresholds. Every field is optional: unset values are derived from the chain's
 * block time (see core/chains/profiles.ts), so a monitor needs no tuning to be useful.
 */
export const CasperRulesSchema = z
  .strictObject({
    blockTimeSec: z
      .number()
      .positive()
      .max(3600)
      .optional()
      .describe("Expected block interval; default from the node's protocol version"),
    maxBlockAgeSec: z.number().positive().optional().describe("Last block older than this is degraded"),
    stallAfterSec: z
      .number()
      .positive()
      .optional()
      .describe("Height unchanged this long is degraded (stalled)"),
    maxLagBlocks: z
      .number()
      .int()
      .min(0)
      .default(5)
      .describe("Blocks behind the network's highest healthy node before degraded"),
    minPeers: z.number().int().min(0).default(1),
    expectChainName: z
      .string()
      .min(1)
      .optional()
      .describe("chainspec_name the node must report, e.g. casper or casper-test"),
  })
  .describe("Health rules applied to chain facts reported by the probe");

export type CasperRules = z.infer<typeof CasperRulesSchema>;
