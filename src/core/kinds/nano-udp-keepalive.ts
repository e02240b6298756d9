import { z } from "zod";
import { networkRulesOnly } from "../chains/common-rules.ts";
import { defineKind } from "./descriptor.ts";
import { hostField, NanoNetworkSchema, portField } from "./fields.ts";

export const NanoUdpKeepaliveCheckSchema = z.strictObject({
  kind: z.literal("nano-udp-keepalive"),
  host: hostField,
  port: portField(7075),
  network: NanoNetworkSchema.default("live"),
});

export type NanoUdpKeepaliveCheck = z.infer<typeof NanoUdpKeepaliveCheckSchema>;

export const nanoUdpKeepalive = defineKind({
  kind: "nano-udp-keepalive",
  schema: NanoUdpKeepaliveCheckSchema,
  chain: "nano",
  runsIn: ["agent"],
  evaluate: (_check, facts, rules, ctx) => networkRulesOnly(facts, rules, ctx),
  doc: {
    what: "UDP keepalive (nodes ≤ V20): a reply is `up`, ICMP unreachable `down`, silence `unknown`",
    example: '`{"kind":"nano-udp-keepalive","host":"10.0.0.7"}`',
  },
});
