import { readFileSync } from "node:fs";
import type { AgentFileConfig } from "../core/agent/file-config.ts";
import { AgentFileConfigSchema } from "../core/agent/file-config.ts";
import { formatPath } from "../core/config/load.ts";
import { type Monitor, MonitorSchema } from "../core/config/schema.ts";

export { type AgentFileConfig, AgentFileConfigSchema } from "../core/agent/file-config.ts";

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
