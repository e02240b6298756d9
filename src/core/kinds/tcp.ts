import { z } from "zod";
import { defineKind, noChainRules } from "./descriptor.ts";

export const TcpCheckSchema = z.strictObject({
  kind: z.literal("tcp"),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
});

export type TcpCheck = z.infer<typeof TcpCheckSchema>;

export const tcp = defineKind({
  kind: "tcp",
  schema: TcpCheckSchema,
  runsIn: ["worker", "agent"],
  evaluate: noChainRules,
  doc: {
    what: "connect (Casper P2P `:35000`, Chia peer `:8444`, anything); a port that accepts and resets at once is open — always from an agent, but a Worker sees about half such resets as a refusal (the socket API reports both alike), so watch such ports from an agent",
    example: '`{"kind":"tcp","host":"node.example","port":8444}`',
  },
});
