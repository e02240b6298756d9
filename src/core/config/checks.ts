import { z } from "zod";
import { CASPER_EXTRA_CHECK_CHAIN, CASPER_EXTRA_CHECKS } from "./checks-casper-extra.ts";
import { NANO_GENERIC_CHECK_CHAIN, NANO_GENERIC_CHECKS } from "./checks-nano-generic.ts";
import { bodyBytes, HeadersSchema, httpUrl, sseLimits } from "./common.ts";
import type { Chain } from "./schema.ts";

export { type SecretRef, SecretRefSchema } from "./common.ts";

export const CasperRestCheckSchema = z.strictObject({
  kind: z.literal("casper-rest"),
  url: httpUrl("8888/status").describe("The node's REST /status URL (port 8888)"),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(1_048_576),
});

export const CasperRpcCheckSchema = z.strictObject({
  kind: z.literal("casper-rpc"),
  url: httpUrl("7777/rpc").describe("The JSON-RPC endpoint (port 7777, path /rpc)"),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(2_097_152),
});

export const CasperSseCheckSchema = z.strictObject({
  kind: z.literal("casper-sse"),
  url: httpUrl("9999/events").describe("SSE stream: /events/main on 1.x, /events on 2.x"),
  headers: HeadersSchema,
  ...sseLimits("The ApiVersion event must arrive within this time"),
});

export const TcpCheckSchema = z.strictObject({
  kind: z.literal("tcp"),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
});

export const CheckSchema = z.discriminatedUnion("kind", [
  CasperRestCheckSchema,
  CasperRpcCheckSchema,
  CasperSseCheckSchema,
  TcpCheckSchema,
  ...CASPER_EXTRA_CHECKS,
  ...NANO_GENERIC_CHECKS,
]);

export type Check = z.infer<typeof CheckSchema>;
export type CheckKind = Check["kind"];
export type CheckOf<K extends CheckKind> = Extract<Check, { kind: K }>;

/** Which chain a chain-specific check belongs to; chain-neutral kinds are absent. */
export const CHECK_CHAIN: Partial<Record<CheckKind, Chain>> = {
  "casper-rest": "casper",
  "casper-rpc": "casper",
  "casper-sse": "casper",
  ...CASPER_EXTRA_CHECK_CHAIN,
  ...NANO_GENERIC_CHECK_CHAIN,
};
