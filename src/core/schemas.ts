import { z } from "zod";
import { AgentAssignmentsSchema } from "./agent/assignments.ts";
import { AgentBatchAckSchema, AgentBatchSchema, AgentErrorSchema } from "./agent/batch.ts";
import { AgentFileConfigSchema } from "./agent/file-config.ts";
import { AgentHeartbeatSchema } from "./agent/heartbeat.ts";
import { AlertEventSchema } from "./alerts/event.ts";
import { ConfigSchema } from "./config/schema.ts";
import { IncidentSchema, StatusResponseSchema } from "./public.ts";
import { ProbeBatchSchema } from "./records.ts";
import { SlaReportSchema } from "./sla/schema.ts";

/** Every JSON Schema we publish in schemas/, generated from the zod source of truth. */
export function jsonSchemas(): Record<string, unknown> {
  const gen = (schema: z.ZodType, title: string, io: "input" | "output") => ({
    $id: `https://chain-uptime.dev/schemas/${title}`,
    ...z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }),
  });
  return {
    "config.schema.json": gen(ConfigSchema, "config.schema.json", "input"),
    "status-response.schema.json": gen(StatusResponseSchema, "status-response.schema.json", "output"),
    "incident.schema.json": gen(IncidentSchema, "incident.schema.json", "output"),
    "probe-batch.schema.json": gen(ProbeBatchSchema, "probe-batch.schema.json", "output"),
    "agent-batch.schema.json": gen(AgentBatchSchema, "agent-batch.schema.json", "input"),
    "agent-batch-ack.schema.json": gen(AgentBatchAckSchema, "agent-batch-ack.schema.json", "output"),
    "agent-heartbeat.schema.json": gen(AgentHeartbeatSchema, "agent-heartbeat.schema.json", "input"),
    "agent-assignments.schema.json": gen(AgentAssignmentsSchema, "agent-assignments.schema.json", "output"),
    "agent-error.schema.json": gen(AgentErrorSchema, "agent-error.schema.json", "output"),
    "agent-config.schema.json": gen(AgentFileConfigSchema, "agent-config.schema.json", "input"),
    "alert-webhook.schema.json": gen(AlertEventSchema, "alert-webhook.schema.json", "output"),
    "sla-report.schema.json": gen(SlaReportSchema, "sla-report.schema.json", "output"),
  };
}

export function renderSchema(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
