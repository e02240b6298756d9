import { z } from "zod";
import { bodyBytes, HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind, noChainRules } from "./descriptor.ts";
import { ConditionsSchema } from "./fields.ts";

const JsonValueSchema: z.ZodType<unknown> = z.json();

export const JsonRpcCheckSchema = z.strictObject({
  kind: z.literal("json-rpc"),
  url: httpUrl("https://rpc.example/"),
  method: z.string().min(1).max(200).describe("JSON-RPC 2.0 method name"),
  params: z
    .union([z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)])
    .optional()
    .describe("By position (array) or by name (object)"),
  headers: HeadersSchema,
  conditions: ConditionsSchema.default([]).describe(
    "Conditions on the whole response; [BODY].result.… reaches into the result. A JSON-RPC error fails the check before conditions run",
  ),
  maxBodyBytes: bodyBytes(2_097_152),
});

export type JsonRpcCheck = z.infer<typeof JsonRpcCheckSchema>;

export const jsonRpc = defineKind({
  kind: "json-rpc",
  schema: JsonRpcCheckSchema,
  runsIn: ["worker", "agent"],
  evaluate: noChainRules,
  doc: {
    what: "a JSON-RPC call (`method`, `params`) judged by `conditions`; a JSON-RPC `error` fails first",
    example:
      '`{"kind":"json-rpc","url":"https://rpc.example/","method":"eth_blockNumber","conditions":["[BODY].result != 0x0"]}`',
  },
});
