import { z } from "zod";
import { HeadersSchema, httpUrl } from "../config/common.ts";
import { judgeCasperValidator } from "../validators/casper-judge.ts";
import { CasperPublicKeySchema } from "../validators/keys.ts";
import { defineKind } from "./descriptor.ts";

export const CasperValidatorCheckSchema = z.strictObject({
  kind: z.literal("casper-validator"),
  publicKey: CasperPublicKeySchema.describe("The validator's public key (hex, 01… or 02…)"),
  rpc: z
    .array(httpUrl("http://node.example:7777/rpc"))
    .min(1)
    .max(3)
    .describe(
      "JSON-RPC endpoints of the network (public or partner nodes, your own): the auction, validator changes and blocks are read from them, the first that answers",
    ),
  nodeStatusUrl: httpUrl("http://validator.example:8888/status")
    .optional()
    .describe("Your validator node's REST /status: it must sign with this key and report a round length"),
  sidecarRestUrl: httpUrl("http://node.example:18888")
    .optional()
    .describe(
      "An event sidecar's REST base (port 18888): its stored Fault events for the key (equivocation)",
    ),
  headers: HeadersSchema,
  maxBlocksPerProbe: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(20)
    .describe("Blocks read per probe to count proposals (one subrequest each)"),
  auctionMaxAgeSec: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(600)
    .describe(
      "The auction is read once per era, and again after this long within one (an era lasts 2 h on mainnet; the next era's set is fixed an era ahead)",
    ),
  maxAuctionBytes: z
    .number()
    .int()
    .min(65_536)
    .max(67_108_864)
    .default(33_554_432)
    .describe(
      "Bound on the auction answer read (only up to its era_validators; mainnet's bids run to megabytes)",
    ),
});

export const casperValidator = defineKind({
  kind: "casper-validator",
  schema: CasperValidatorCheckSchema,
  chain: "casper",
  runsIn: ["worker"],
  subject: (check) => check.publicKey,
  evaluate: (_check, facts, _rules, ctx) => ({
    reasons: facts.validator?.chain === "casper" ? judgeCasperValidator(facts.validator) : [],
    maintenance: false,
    memory: ctx.previous ?? {},
  }),
  doc: {
    what: "a validator key as the network sees it: era set now and next (eviction ahead), `Banned`/`SeenAsFaulty`/`CannotPropose`, the node signing with it, proposals against its weight share",
    example: '`{"kind":"casper-validator","publicKey":"01…","rpc":["http://node:7777/rpc"]}`',
  },
});
