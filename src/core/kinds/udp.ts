import { z } from "zod";
import { defineKind, noChainRules } from "./descriptor.ts";
import { hostField } from "./fields.ts";

const hex = z.string().regex(/^(?:[0-9A-Fa-f]{2})+$/, "hex bytes, e.g. 0a0b0c");

export const UdpCheckSchema = z
  .strictObject({
    kind: z.literal("udp"),
    host: hostField,
    port: z.number().int().min(1).max(65_535),
    sendHex: hex.max(2 * 1400).optional(),
    sendText: z.string().max(1400).optional(),
    expectHex: hex.max(512).optional().describe("The reply must start with these bytes"),
    expectText: z.string().max(256).optional().describe("The reply must contain this text"),
  })
  .refine((c) => (c.sendHex === undefined) !== (c.sendText === undefined), {
    path: ["sendHex"],
    message: "set exactly one of sendHex and sendText",
  });

export type UdpCheck = z.infer<typeof UdpCheckSchema>;

export const udp = defineKind({
  kind: "udp",
  schema: UdpCheckSchema,
  runsIn: ["agent"],
  evaluate: noChainRules,
  doc: {
    what: "request/expected reply over UDP, with the same three outcomes as above",
    example: "see [docs/agent.md](docs/agent.md)",
  },
});
