import { z } from "zod";

/** Blocks seen in one era by a casper-validator monitor, and how many the key proposed. */
export const EraTallySchema = z.object({
  era: z.number().int().nonnegative(),
  blocks: z.number().int().nonnegative().describe("Blocks of the era the probes read"),
  proposed: z.number().int().nonnegative().describe("Of them, proposed by the key"),
  expected: z.number().nonnegative().describe("Blocks × the key's share of the era's weight"),
});
export type EraTally = z.infer<typeof EraTallySchema>;

export const CasperValidatorFactsSchema = z.object({
  chain: z.literal("casper"),
  key: z.string().max(70),
  era: z.number().int().nonnegative(),
  inEra: z.boolean().describe("In the current era's validator set (auction era_validators)"),
  inNextEra: z.boolean().describe("In the next era's set: false while in this one is an eviction ahead"),
  weight: z.string().max(40).optional().describe("Weight in the current era, motes (decimal string)"),
  share: z.number().min(0).max(1).optional().describe("Share of the current era's total weight"),
  change: z
    .object({ era: z.number().int(), status: z.string().max(32) })
    .optional()
    .describe("The key's latest validator change (Added, Removed, Banned, CannotPropose, SeenAsFaulty)"),
  /** The operator's node: the key it signs with and its round length (null: not validating). */
  node: z
    .object({
      key: z.string().max(70).nullable().optional(),
      roundLength: z.string().max(64).nullable().optional(),
      error: z.string().max(300).optional(),
    })
    .optional(),
  faultEra: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe("Era of the key's latest Fault event (the sidecar's record of the SSE stream)"),
  faultsError: z.string().max(300).optional().describe("The sidecar could not be read"),
  proposals: EraTallySchema.optional().describe("This era so far"),
  lastEra: EraTallySchema.optional().describe("The previous era, as far as the probes read it"),
  /** Network endpoints that answered, of those configured. */
  sources: z.object({ answered: z.number().int(), asked: z.number().int() }),
});

export const NanoRepresentativeFactsSchema = z.object({
  chain: z.literal("nano"),
  account: z.string().max(70),
  online: z.boolean().describe("In representatives_online of at least one other node"),
  seenBy: z.number().int().nonnegative().describe("Nodes whose representatives_online list it"),
  asked: z.number().int().nonnegative(),
  weight: z.string().max(50).describe("account_weight, raw (decimal string: exceeds 2^53)"),
  onlineStake: z.string().max(50).optional().describe("confirmation_quorum online_stake_total, raw"),
  principal: z.boolean().optional().describe("Weight ≥ 0.1 % of online stake"),
});

export const ChiaFarmerFactsSchema = z.object({
  chain: z.literal("chia"),
  signagePointAgeSec: z.number().nonnegative().nullable().describe("Age of the newest signage point"),
  harvesters: z.number().int().nonnegative(),
  plots: z.number().int().nonnegative(),
  /** Per harvester, so a vanished one can be named. */
  harvesterPlots: z.array(z.object({ host: z.string().max(100), plots: z.number().int() })).max(100),
  failedToOpen: z.number().int().nonnegative().optional(),
  pool: z
    .object({
      pointsFound24h: z.number().int().nonnegative(),
      pointsAcknowledged24h: z.number().int().nonnegative(),
      errors24h: z.number().int().nonnegative(),
    })
    .optional(),
});

/** What a validator-level check learned about the operator's key, per chain. */
export const ValidatorFactsSchema = z.discriminatedUnion("chain", [
  CasperValidatorFactsSchema,
  NanoRepresentativeFactsSchema,
  ChiaFarmerFactsSchema,
]);
export type ValidatorFacts = z.infer<typeof ValidatorFactsSchema>;
export type CasperValidatorFacts = z.infer<typeof CasperValidatorFactsSchema>;
export type NanoRepresentativeFacts = z.infer<typeof NanoRepresentativeFactsSchema>;
export type ChiaFarmerFacts = z.infer<typeof ChiaFarmerFactsSchema>;
