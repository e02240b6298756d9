import type { z } from "zod";
import { type Config, ConfigSchema } from "./schema.ts";

export interface ConfigIssue {
  path: string;
  message: string;
}

export type ConfigLoad = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

/** `monitors[3].check.url`, the way a person would point at the field in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(root)";
}

export function issuesFromZod(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

/** Validates a parsed config; every bad field is reported, not just the first. */
export function parseConfig(input: unknown): ConfigLoad {
  const parsed = ConfigSchema.safeParse(input);
  return parsed.success
    ? { ok: true, config: parsed.data }
    : { ok: false, issues: issuesFromZod(parsed.error) };
}

export function parseConfigText(text: string): ConfigLoad {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [{ path: "(root)", message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return parseConfig(json);
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `  ${i.path}: ${i.message}`).join("\n");
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(
      `invalid config (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${formatIssues(issues)}`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}
