import { z } from "zod";
import { evaluateCasper } from "../chains/casper/evaluate.ts";
import { bodyBytes, HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";

export const CasperRpcCheckSchema = z.strictObject({
  kind: z.literal("casper-rpc"),
  url: httpUrl("http://node.example:7777/rpc").describe("The JSON-RPC endpoint (port 7777, path /rpc)"),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(2_097_152),
});

export const casperRpc = defineKind({
  kind: "casper-rpc",
  schema: CasperRpcCheckSchema,
  chain: "casper",
  runsIn: ["worker", "agent"],
  evaluate: (_check, facts, rules, ctx) => evaluateCasper(facts, rules, ctx),
  doc: {
    what: "`info_get_status` + `chain_get_block` on `:7777/rpc`; a JSON-RPC `error` is a failure",
    example: '`{"kind":"casper-rpc","url":"http://node:7777/rpc"}`',
  },
});
