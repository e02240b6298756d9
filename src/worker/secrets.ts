import type { SecretRef } from "../core/config/common.ts";

export class MissingSecretError extends Error {}

/** Header values from config, with secret references looked up in the Worker's env. */
export function resolveHeaders(
  headers: Record<string, string | SecretRef> | undefined,
  env: object,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === "string") {
      out[name] = value;
      continue;
    }
    const secret = (env as Record<string, unknown>)[value.secret];
    if (typeof secret !== "string" || secret === "") {
      throw new MissingSecretError(`secret ${value.secret} (header ${name}) is not set`);
    }
    out[name] = secret;
  }
  return out;
}
