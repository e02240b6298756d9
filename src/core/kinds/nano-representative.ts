import { z } from "zod";
import { HeadersSchema, httpUrl } from "../config/common.ts";
import { NanoAccountSchema } from "../validators/keys.ts";
import { judgeNanoRepresentative } from "../validators/nano-judge.ts";
import { defineKind } from "./descriptor.ts";

const RAW_PER_NANO = 10n ** 30n;

export const NanoRepresentativeCheckSchema = z.strictObject({
  kind: z.literal("nano-representative"),
  account: NanoAccountSchema.describe("The representative's account (nano_…)"),
  rpc: z
    .array(httpUrl("https://rpc.example/proxy"))
    .min(1)
    .max(3)
    .describe(
      "Other nodes' RPC, directly (7076) or through an RPC proxy (NanoRPCProxy /proxy): each is asked whether it sees the representative online",
    ),
  minWeightNano: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Voting weight below this many Nano is degraded"),
  expectPrincipal: z
    .boolean()
    .default(false)
    .describe("Degraded when the weight falls under 0.1 % of online stake"),
  onlineCacheSec: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(300)
    .describe(
      "How long the endpoints may cache representatives_online (NanoRPCProxy: 300 s; 0 for nodes asked directly): missing for less is degraded, not down",
    ),
  headers: HeadersSchema,
  maxBodyBytes: z.number().int().min(1024).max(8_388_608).default(1_048_576),
});

export const nanoRepresentative = defineKind({
  kind: "nano-representative",
  schema: NanoRepresentativeCheckSchema,
  chain: "nano",
  runsIn: ["worker"],
  subject: (check) => check.account,
  evaluate: (check, facts, _rules, ctx) =>
    facts.validator?.chain === "nano"
      ? judgeNanoRepresentative(
          facts.validator,
          {
            ...(check.minWeightNano === undefined
              ? {}
              : { minWeightRaw: BigInt(check.minWeightNano) * RAW_PER_NANO }),
            expectPrincipal: check.expectPrincipal,
            onlineCacheSec: check.onlineCacheSec,
          },
          ctx,
        )
      : { reasons: [], maintenance: false, memory: ctx.previous ?? {} },
  doc: {
    what: "a representative as other nodes see it: in their `representatives_online`, its `account_weight`, principal (≥ 0.1 % of online stake from `confirmation_quorum`)",
    example: '`{"kind":"nano-representative","account":"nano_1…","rpc":["https://rpc.example/proxy"]}`',
  },
});
