import { z } from "zod";
import { AgentIdSchema } from "../config/agents.ts";

/** POST /api/v1/agent/heartbeat: the agent is alive even when no monitor is due. */
export const AgentHeartbeatSchema = z
  .strictObject({
    agentId: AgentIdSchema,
    bootId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    seq: z.number().int().min(0).describe("Increases with every heartbeat of one agent process (bootId)"),
    sentAt: z.number().int(),
    agentVersion: z.string().max(40),
    monitors: z.number().int().min(0),
    assignmentsFrom: z.enum(["worker", "cache", "config"]),
    spool: z.strictObject({
      batches: z.number().int().min(0),
      records: z.number().int().min(0),
      oldestAt: z.number().int().nullable(),
    }),
  })
  .describe("Agent heartbeat");
export type AgentHeartbeat = z.infer<typeof AgentHeartbeatSchema>;

export const AgentHeartbeatAckSchema = z.object({
  ok: z.literal(true),
  serverTime: z.number().int(),
  heartbeatSec: z.number().int(),
});
export type AgentHeartbeatAck = z.infer<typeof AgentHeartbeatAckSchema>;
