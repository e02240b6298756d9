import { readFileSync } from "node:fs";
import { z } from "zod";
import { MAX_BATCH_RECORDS } from "../core/agent/protocol.ts";
import { AgentIdSchema } from "../core/config/agents.ts";
import { formatPath } from "../core/config/load.ts";
import { type Monitor, MonitorSchema } from "../core/config/schema.ts";
import { LOG_LEVELS } from "./log.ts";

/**
 * The agent's own config file (JSON). Everything but the key may live in it; the key comes from the
 * environment (CHAIN_UPTIME_AGENT_KEY) or from a file readable by the agent only (keyFile).
 * `monitors` are the fallback when the Worker's assignments cannot be had.
 */
export const AgentFileConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  agentId: AgentIdSchema.describe("This agent's id, as listed in the Worker config's agents[]"),
  workerUrl: z
    .url({ protocol: /^https?$/, error: "the Worker's base URL, such as https://uptime.example.workers.dev" })
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
  monitors: z.array(z.unknown()).max(20_000).default([]),
});
export type AgentFileConfig = z.infer<typeof AgentFileConfigSchema>;

export interface AgentSettings extends Omit<AgentFileConfig, "monitors" | "$schema" | "keyFile"> {
  keyId: string;
  /** The HMAC key; undefined when no Worker is configured. */
  key?: string;
  /** Fallback monitors from the file, already validated. */
  monitors: Monitor[];
}

export interface SettingsIssue {
  path: string;
  message: string;
}

export type SettingsLoad = { ok: true; settings: AgentSettings } | { ok: false; issues: SettingsIssue[] };

/** Environment variables that override the file. */
export const ENV = {
  agentId: "CHAIN_UPTIME_AGENT_ID",
  workerUrl: "CHAIN_UPTIME_WORKER_URL",
  keyId: "CHAIN_UPTIME_KEY_ID",
  key: "CHAIN_UPTIME_AGENT_KEY",
  keyFile: "CHAIN_UPTIME_AGENT_KEY_FILE",
  spoolDir: "CHAIN_UPTIME_SPOOL_DIR",
  logLevel: "CHAIN_UPTIME_LOG_LEVEL",
} as const;

/**
 * A local monitor needs neither regions nor agents written out: it is this agent's, so regions
 * default to [] and agents to [agentId]. Each is validated with the Worker's own MonitorSchema.
 */
export function parseLocalMonitors(
  agentId: string,
  raw: unknown[],
  pathPrefix = "monitors",
): {
  monitors: Monitor[];
  issues: SettingsIssue[];
} {
  const monitors: Monitor[] = [];
  const issues: SettingsIssue[] = [];
  raw.forEach((m, i) => {
    const input =
      typeof m === "object" && m !== null && !Array.isArray(m)
        ? { regions: [], agents: [agentId], ...(m as Record<string, unknown>) }
        : m;
    const parsed = MonitorSchema.safeParse(input);
    if (parsed.success) monitors.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        issues.push({ path: formatPath([pathPrefix, i, ...issue.path]), message: issue.message });
  });
  return { monitors, issues };
}

export function loadSettings(file: string | undefined, env: NodeJS.ProcessEnv): SettingsLoad {
  let json: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      return {
        ok: false,
        issues: [{ path: "(file)", message: `cannot read ${file}: ${(e as Error).message}` }],
      };
    }
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      return { ok: false, issues: [{ path: "(root)", message: `not valid JSON: ${(e as Error).message}` }] };
    }
  }
  const overrides: Record<string, unknown> = {};
  if (env[ENV.agentId]) overrides.agentId = env[ENV.agentId];
  if (env[ENV.workerUrl]) overrides.workerUrl = env[ENV.workerUrl];
  if (env[ENV.keyId]) overrides.keyId = env[ENV.keyId];
  if (env[ENV.keyFile]) overrides.keyFile = env[ENV.keyFile];
  if (env[ENV.spoolDir]) overrides.spoolDir = env[ENV.spoolDir];
  if (env[ENV.logLevel]) overrides.logLevel = env[ENV.logLevel];
  const parsed = AgentFileConfigSchema.safeParse({ ...json, ...overrides });
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    };
  }
  const c = parsed.data;
  const { monitors, issues } = parseLocalMonitors(c.agentId, c.monitors);
  let key = env[ENV.key];
  if (!key && c.keyFile) {
    try {
      key = readFileSync(c.keyFile, "utf8").trim();
    } catch (e) {
      issues.push({
        path: "keyFile",
        message: `cannot read the key file: ${(e as NodeJS.ErrnoException).code ?? "error"}`,
      });
    }
  }
  if (c.workerUrl && !key) {
    issues.push({ path: "key", message: `set ${ENV.key} (or keyFile) to the agent's key: workerUrl is set` });
  }
  if (issues.length) return { ok: false, issues };
  const { $schema: _s, keyFile: _k, monitors: _m, ...rest } = c;
  return { ok: true, settings: { ...rest, keyId: c.keyId ?? c.agentId, key, monitors } };
}
