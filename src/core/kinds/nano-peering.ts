import { z } from "zod";
import { networkRulesOnly, nodeIdReason } from "../chains/common-rules.ts";
import { defineKind } from "./descriptor.ts";
import { hostField, NanoNetworkSchema, portField } from "./fields.ts";

export const NanoPeeringCheckSchema = z.strictObject({
  kind: z.literal("nano-peering"),
  host: hostField,
  port: portField(7075),
  network: NanoNetworkSchema.default("live"),
  genesis: z
    .string()
    .regex(/^[0-9A-Fa-f]{64}$/, "a 64-hex genesis block hash")
    .optional()
    .describe("Genesis hash a v2 handshake must carry; default: the live network's for network live"),
  nodeId: z
    .string()
    .regex(
      /^node_[13][13456789abcdefghijkmnopqrstuwxyz]{59}$/,
      "a Nano node id: node_ followed by 60 characters",
    )
    .optional()
    .describe("Pin: the node id the signed handshake must prove; another id is down"),
});

export type NanoPeeringCheck = z.infer<typeof NanoPeeringCheckSchema>;

export const nanoPeering = defineKind({
  kind: "nano-peering",
  schema: NanoPeeringCheckSchema,
  chain: "nano",
  runsIn: ["agent"],
  evaluate: (check, facts, rules, ctx) => {
    const evaluation = networkRulesOnly(facts, rules, ctx);
    const pinned = nodeIdReason(check.nodeId, facts.nodeId, (a, b) => a === b);
    return pinned ? { ...evaluation, reasons: [...evaluation.reasons, pinned] } : evaluation;
  },
  doc: {
    what: "`node_id_handshake` on TCP `:7075`, signature verified: node id, protocol version, network",
    example: '`{"kind":"nano-peering","host":"10.0.0.7"}`',
  },
});
