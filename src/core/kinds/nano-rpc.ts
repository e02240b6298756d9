import { z } from "zod";
import { evaluateNano } from "../chains/nano/evaluate.ts";
import { bodyBytes, HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";

/** RPC actions the nano-rpc probe knows how to read (CHAINS.md B.1). */
export const NANO_RPC_ACTIONS = [
  "block_count",
  "version",
  "telemetry",
  "peers",
  "confirmation_quorum",
] as const;
export type NanoRpcAction = (typeof NANO_RPC_ACTIONS)[number];

export const NanoRpcCheckSchema = z.strictObject({
  kind: z.literal("nano-rpc"),
  url: httpUrl("http://node.example:9950/proxy").describe(
    "Node RPC (port 7076, any path) or an RPC proxy such as NanoRPCProxy (port 9950, path /proxy)",
  ),
  headers: HeadersSchema,
  actions: z
    .array(z.enum(NANO_RPC_ACTIONS))
    .min(1)
    .max(NANO_RPC_ACTIONS.length)
    .refine((a) => new Set(a).size === a.length, "actions must not repeat")
    .default(["block_count", "version"])
    .describe(
      "RPC actions to call, in order. NanoRPCProxy allows block_count, version and confirmation_quorum by default, not telemetry or peers",
    ),
  maxBodyBytes: bodyBytes(1_048_576),
});

export type NanoRpcCheck = z.infer<typeof NanoRpcCheckSchema>;

export const nanoRpc = defineKind({
  kind: "nano-rpc",
  schema: NanoRpcCheckSchema,
  chain: "nano",
  runsIn: ["worker", "agent"],
  evaluate: (_check, facts, rules, ctx) => evaluateNano(facts, rules, ctx),
  doc: {
    what: "`block_count`, `version`, `telemetry`, `peers`, `confirmation_quorum` (as listed in `actions`) through an RPC proxy or the node",
    example: '`{"kind":"nano-rpc","url":"https://rpc.example/proxy","actions":["block_count","version"]}`',
  },
});
