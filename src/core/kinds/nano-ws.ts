import { z } from "zod";
import { evaluateNano } from "../chains/nano/evaluate.ts";
import { HeadersSchema, withoutCredentials } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";

export const NanoWsCheckSchema = z.strictObject({
  kind: z.literal("nano-ws"),
  url: withoutCredentials(
    z.url({ protocol: /^wss?$/, error: "a ws(s) URL such as ws://node.example:7078" }).max(2048),
  ).describe("The node's WebSocket (port 7078) or a proxy in front of it"),
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

export type NanoWsCheck = z.infer<typeof NanoWsCheckSchema>;

export const nanoWs = defineKind({
  kind: "nano-ws",
  schema: NanoWsCheckSchema,
  chain: "nano",
  runsIn: ["worker", "agent"],
  evaluate: (_check, facts, rules, ctx) => evaluateNano(facts, rules, ctx),
  doc: {
    what: 'WebSocket `:7078`: `{"action":"ping"}` → `"ack":"pong"` within `pongWithinMs`',
    example: '`{"kind":"nano-ws","url":"wss://node.example:7078"}`',
  },
});
