import { z } from "zod";
import { withoutCredentials } from "../config/common.ts";
import { judgeChiaFarmer } from "../validators/chia-judge.ts";
import { defineKind } from "./descriptor.ts";
import { ChiaTlsFields, chiaTlsFilesMessage, hasChiaTlsFiles } from "./fields.ts";

export const ChiaFarmerCheckSchema = z
  .strictObject({
    kind: z.literal("chia-farmer"),
    url: withoutCredentials(
      z.url({ protocol: /^https$/, error: "an https URL such as https://localhost:8559" }).max(2048),
    ).describe("The farmer's RPC (port 8559), reached with the farmer's client certificate"),
    signagePointMaxAgeSec: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(60)
      .describe(
        "No new signage point for longer (they come every ~9.4 s) means the farmer lost its full node",
      ),
    expectedHarvesters: z.number().int().min(1).optional().describe("Harvesters that should be connected"),
    expectedPlots: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Plots that should be farmed, over all harvesters"),
    pool: z.boolean().default(false).describe("Also read get_pool_state (plot NFTs in a pool)"),
    maxBodyBytes: z.number().int().min(1024).max(8_388_608).default(1_048_576),
    ...ChiaTlsFields,
  })
  .refine(hasChiaTlsFiles, chiaTlsFilesMessage);

export const chiaFarmer = defineKind({
  kind: "chia-farmer",
  schema: ChiaFarmerCheckSchema,
  chain: "chia",
  runsIn: ["agent"],
  // A farmer has no one key to name (and its host is not for the public): the monitor names it.
  subject: () => "farmer",
  evaluate: (check, facts, _rules, ctx) => ({
    reasons: facts.validator?.chain === "chia" ? judgeChiaFarmer(facts.validator, check) : [],
    maintenance: false,
    memory: ctx.previous ?? {},
  }),
  doc: {
    what: "a farmer doing its job (agent, mutual TLS): signage points arriving, harvesters and plots against what you expect, pool points acknowledged",
    example: "see [docs/agent.md](docs/agent.md)",
  },
});
