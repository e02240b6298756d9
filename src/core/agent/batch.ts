import { z } from "zod";
import { AgentIdSchema } from "../config/agents.ts";
import { ProbeRecordSchema } from "../records.ts";
import { AGENT_ERROR_CODES, MAX_BATCH_RECORDS } from "./protocol.ts";

export const BatchIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,100}$/, "8-100 letters, digits, '-' or '_'")
  .describe("Unique per batch; the Worker applies a batch id once and refuses it after that");

/** POST /api/v1/agent/results: the records of one spooled batch, all from vantage agent:<agentId>. */
export const AgentBatchSchema = z
  .strictObject({
    agentId: AgentIdSchema,
    batchId: BatchIdSchema,
    createdAt: z.number().int().describe("When the agent sealed the batch (unix ms)"),
    agentVersion: z.string().max(40).optional(),
    records: z.array(ProbeRecordSchema).min(1).max(MAX_BATCH_RECORDS),
  })
  .describe("A signed batch of probe results from one agent");
export type AgentBatch = z.infer<typeof AgentBatchSchema>;

export const AgentBatchAckSchema = z.object({
  ok: z.literal(true),
  batchId: BatchIdSchema,
  applied: z.number().int().describe("Records applied by this request"),
  duplicates: z
    .array(
      z.object({
        monitorId: z.string(),
        checkedAt: z.number().int(),
        reason: z.string(),
      }),
    )
    .describe("Records not kept: the agent already reported that monitor in that interval slot"),
});
export type AgentBatchAck = z.infer<typeof AgentBatchAckSchema>;

export const AgentErrorSchema = z
  .object({
    error: z.enum(AGENT_ERROR_CODES),
    message: z.string(),
    issues: z.array(z.object({ parameter: z.string(), message: z.string() })).optional(),
    monitors: z.array(z.string()).optional().describe("out_of_scope: the monitors not assigned to the agent"),
    batchId: z.string().optional(),
    appliedAt: z.string().optional().describe("duplicate_batch: when it was applied (RFC 3339)"),
    serverTime: z.number().int().optional().describe("clock_skew: the Worker's clock (unix ms)"),
  })
  .describe("A refused agent request: nothing from it was stored");
export type AgentError = z.infer<typeof AgentErrorSchema>;
