import type { SecretRef } from "./config/common.ts";

/** A secret the config names is not set in the environment (a Worker secret, an agent env variable). */
export class MissingSecretError extends Error {}

/** The value of the secret named `name`, or undefined when it is unset or empty. */
export function secretValue(env: object, name: string): string | undefined {
  const value = (env as Record<string, unknown>)[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The value of a secret the config refers to; `what` says what it is for in the error. */
export function requireSecret(env: object, ref: SecretRef, what = ""): string {
  const value = secretValue(env, ref.secret);
  if (value === undefined) throw new MissingSecretError(`secret ${ref.secret}${what} is not set`);
  return value;
}

/** Header values from config, with secret references looked up in the environment. */
export function resolveHeaders(
  headers: Record<string, string | SecretRef> | undefined,
  env: object,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = typeof value === "string" ? value : requireSecret(env, value, ` (header ${name})`);
  }
  return out;
}
