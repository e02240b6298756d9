import { z } from "zod";
import type { Chain } from "./schema.ts";

/** A secret is named, never inlined: the Worker reads it from its env (a Worker secret). */
export const SecretRefSchema = z
  .strictObject({
    secret: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an env variable name in UPPER_SNAKE_CASE"),
  })
  .describe("Reference to a Worker secret / env variable");
export type SecretRef = z.infer<typeof SecretRefSchema>;

const HeadersSchema = z
  .record(z.string().regex(/^[A-Za-z0-9-]+$/, "an HTTP header name"), z.union([z.string(), SecretRefSchema]))
  .optional();

const httpUrl = (defaultPathHint: string) =>
  z
    .url({ protocol: /^https?$/, error: `an http(s) URL such as http://node.example:${defaultPathHint}` })
    .max(2048);

export const CasperRestCheckSchema = z.strictObject({
  kind: z.literal("casper-rest"),
  url: httpUrl("8888/status").describe("The node's REST /status URL (port 8888)"),
  headers: HeadersSchema,
  maxBodyBytes: z.number().int().min(1024).max(8_388_608).default(1_048_576),
});

export const CasperRpcCheckSchema = z.strictObject({
  kind: z.literal("casper-rpc"),
  url: httpUrl("7777/rpc").describe("The JSON-RPC endpoint (port 7777, path /rpc)"),
  headers: HeadersSchema,
  maxBodyBytes: z.number().int().min(1024).max(8_388_608).default(2_097_152),
});

export const CasperSseCheckSchema = z.strictObject({
  kind: z.literal("casper-sse"),
  url: httpUrl("9999/events").describe("SSE stream: /events/main on 1.x, /events on 2.x"),
  headers: HeadersSchema,
  apiVersionWithinMs: z.number().int().min(100).max(60_000).default(5_000),
  blockWithinMs: z
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(8_000)
    .describe("A BlockAdded must arrive within this window after connecting"),
  maxEvents: z.number().int().min(1).max(100_000).default(2_000),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1_048_576)
    .default(8 * 1_048_576),
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
]);

export type Check = z.infer<typeof CheckSchema>;
export type CheckKind = Check["kind"];
export type CheckOf<K extends CheckKind> = Extract<Check, { kind: K }>;

/** Which chain a chain-specific check belongs to; chain-neutral kinds are absent. */
export const CHECK_CHAIN: Partial<Record<CheckKind, Chain>> = {
  "casper-rest": "casper",
  "casper-rpc": "casper",
  "casper-sse": "casper",
};
