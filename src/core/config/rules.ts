import { z } from "zod";

/**
 * Chain-health thresholds, one shape for every chain: each evaluator reads the fields that mean
 * something for its chain. Every field is optional: unset values are derived from the chain's
 * block time (see core/chains/profiles.ts), so a monitor needs no tuning to be useful.
 */
export const ChainRulesSchema = z
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
      .optional()
      .describe(
        "Blocks behind the network's reference (the median of its healthy nodes' heights) before degraded; default Casper 5, Chia 5, Nano 10000",
      ),
    maxAheadBlocks: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        "Blocks ahead of the network's reference before a node counts as on a wrong fork or network (degraded); default 20 × maxLagBlocks",
      ),
    minReferenceNodes: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe(
        "Nodes (monitors, or tags.node groups) that must report a fresh healthy height before the network has a reference; fewer, and lag is not judged",
      ),
    minPeers: z.number().int().min(0).default(1),
    expectChainName: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Network the node must report: Casper chainspec_name (casper, casper-test), Nano network (live, beta, test)",
      ),
    expectVersion: z
      .string()
      .min(1)
      .optional()
      .describe("Version the node should run; unset = the majority of the network's monitored nodes"),
    versionDrift: z
      .enum(["info", "degraded", "off"])
      .default("info")
      .describe("How a node on another version than expected is reported"),
  })
  .describe("Health rules applied to chain facts reported by the probe");

export type ChainRules = z.infer<typeof ChainRulesSchema>;
