import { z } from "zod";
import { AgentIdSchema } from "../config/agents.ts";
import { withoutCredentials } from "../config/common.ts";
import { MAX_BATCH_RECORDS } from "./protocol.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The agent's own config file (JSON). Everything but the key may live in it; the key comes from the
 * environment (CHAIN_UPTIME_AGENT_KEY) or from a file readable by the agent only (keyFile).
 * `monitors` are the fallback when the Worker's assignments cannot be had.
 */
export const AgentFileConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  agentId: AgentIdSchema.describe("This agent's id, as listed in the Worker config's agents[]"),
  workerUrl: withoutCredentials(
    z.url({
      protocol: /^https?$/,
      error: "the Worker's base URL, such as https://uptime.example.workers.dev",
    }),
  )
    .optional()
    .describe("Where to report; without it the agent probes and spools only"),
  keyId: z.string().min(1).max(64).optional().describe("Key id to send; default: agentId"),
  keyFile: z
    .string()
    .min(1)
    .optional()
    .describe("File holding the key (when CHAIN_UPTIME_AGENT_KEY is not set)"),
  spoolDir: z.string().min(1).default(".chain-uptime-agent").describe("Batches wait here until acknowledged"),
  batchEverySec: z.number().int().min(1).max(600).default(15).describe("Seal a batch this often"),
  maxBatchRecords: z.number().int().min(1).max(MAX_BATCH_RECORDS).default(200),
  maxInFlight: z.number().int().min(1).max(256).default(16).describe("Probes running at once"),
  assignmentsRefreshSec: z.number().int().min(10).max(86_400).default(300),
  heartbeatSec: z.number().int().min(5).max(3600).default(30).describe("Until the Worker says otherwise"),
  maxSpoolAgeDays: z
    .number()
    .min(0.01)
    .max(90)
    .default(7)
    .describe("Older undelivered batches are set aside"),
  logLevel: z.enum(LOG_LEVELS).default("info"),
  monitors: z
    .array(z.unknown())
    .max(20_000)
    .default([])
    .describe(
      "Fallback monitors, in the Worker's monitor format (config.schema.json); regions default [], agents [agentId]",
    ),
});
export type AgentFileConfig = z.infer<typeof AgentFileConfigSchema>;
