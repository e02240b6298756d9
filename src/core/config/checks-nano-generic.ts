import { z } from "zod";
import { formatConditionError, MAX_CONDITION_LENGTH, parseCondition } from "../conditions/parser.ts";
import { bodyBytes, HeadersSchema } from "./common.ts";
import type { Chain } from "./schema.ts";

/**
 * Check kinds for Nano (RPC through a proxy or the node, WebSocket) and for any HTTP or JSON-RPC
 * endpoint judged by user conditions. Registered next to the Casper kinds in checks.ts through
 * NANO_GENERIC_CHECKS. Imports only common.ts, so checks.ts can import this file without a cycle.
 */

const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, error: `an http(s) URL such as ${example}` }).max(2048);

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

export const NanoWsCheckSchema = z.strictObject({
  kind: z.literal("nano-ws"),
  url: z
    .url({ protocol: /^wss?$/, error: "a ws(s) URL such as ws://node.example:7078" })
    .max(2048)
    .describe("The node's WebSocket (port 7078) or a proxy in front of it"),
  headers: HeadersSchema,
  pongWithinMs: z
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(5_000)
    .describe('After connecting, {"ack":"pong"} must answer {"action":"ping"} within this window'),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(8_388_608)
    .default(262_144)
    .describe("Bytes read before giving up"),
});

/**
 * User conditions, each checked with the real parser so a typo fails at config load with its
 * position: `conditions[1]: at column 14: expected a comparison operator …`.
 */
const ConditionsSchema = z
  .array(z.string().min(1).max(MAX_CONDITION_LENGTH))
  .max(20)
  .superRefine((conditions, ctx) => {
    conditions.forEach((text, i) => {
      const parsed = parseCondition(text);
      if (!parsed.ok) ctx.addIssue({ code: "custom", path: [i], message: formatConditionError(parsed) });
    });
  })
  .describe(
    "Gatus-style conditions, e.g. [STATUS] == 200, [BODY].result.count > 1000, len([BODY].peers) >= 3, [BODY].status == any(UP, OK)",
  );

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export const HttpCheckSchema = z
  .strictObject({
    kind: z.literal("http"),
    url: httpUrl("https://api.example/health"),
    method: z.enum(HTTP_METHODS).default("GET"),
    headers: HeadersSchema,
    body: z.string().max(65_536).optional().describe("Request body, sent as is"),
    conditions: ConditionsSchema.default(["[STATUS] < 300"]),
    maxBodyBytes: bodyBytes(1_048_576),
  })
  .superRefine((c, ctx) => {
    if (c.body !== undefined && (c.method === "GET" || c.method === "HEAD")) {
      ctx.addIssue({ code: "custom", path: ["body"], message: `a ${c.method} request cannot carry a body` });
    }
  });

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

/** Schemas to add to CheckSchema's discriminated union. */
export const NANO_GENERIC_CHECKS = [
  NanoRpcCheckSchema,
  NanoWsCheckSchema,
  HttpCheckSchema,
  JsonRpcCheckSchema,
] as const;

export type NanoRpcCheck = z.infer<typeof NanoRpcCheckSchema>;
export type NanoWsCheck = z.infer<typeof NanoWsCheckSchema>;
export type HttpCheck = z.infer<typeof HttpCheckSchema>;
export type JsonRpcCheck = z.infer<typeof JsonRpcCheckSchema>;
export type NanoGenericCheck = NanoRpcCheck | NanoWsCheck | HttpCheck | JsonRpcCheck;
export type NanoGenericCheckKind = NanoGenericCheck["kind"];

/** Chain of each chain-specific kind here (to merge into CHECK_CHAIN); http and json-rpc fit any chain. */
export const NANO_GENERIC_CHECK_CHAIN: Partial<Record<NanoGenericCheckKind, Chain>> = {
  "nano-rpc": "nano",
  "nano-ws": "nano",
};
