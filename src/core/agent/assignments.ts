import { z } from "zod";
import { AgentIdSchema } from "../config/agents.ts";
import { MonitorSchema } from "../config/schema.ts";

/**
 * GET /api/v1/agent/assignments: the monitors this agent probes, as the Worker's config has them
 * (defaults applied; header secrets stay references that the agent resolves from its own env).
 */
export const AgentAssignmentsSchema = z
  .object({
    agentId: AgentIdSchema,
    generatedAt: z.number().int(),
    heartbeatSec: z.number().int(),
    monitors: z.array(MonitorSchema),
  })
  .describe("Monitors assigned to one agent");
export type AgentAssignments = z.infer<typeof AgentAssignmentsSchema>;

/**
 * The envelope as the agent reads it: monitors stay unknown so that one monitor of a kind this
 * agent version does not know is skipped, not the whole list.
 */
export const AgentAssignmentsEnvelopeSchema = AgentAssignmentsSchema.extend({
  monitors: z.array(z.unknown()).max(20_000),
});
