import { z } from "zod";

/** A secret is named, never inlined: the Worker reads it from its env (a Worker secret). */
export const SecretRefSchema = z
  .strictObject({
    secret: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an env variable name in UPPER_SNAKE_CASE"),
  })
  .describe("Reference to a Worker secret / env variable");
export type SecretRef = z.infer<typeof SecretRefSchema>;

/** Request headers; a value may name a secret (an API key for a node behind a gateway). */
export const HeadersSchema = z
  .record(z.string().regex(/^[A-Za-z0-9-]+$/, "an HTTP header name"), z.union([z.string(), SecretRefSchema]))
  .optional();

const hasCredentials = (raw: string): boolean => {
  try {
    const url = new URL(raw);
    return url.username !== "" || url.password !== "";
  } catch {
    return false; // not a URL: the URL check itself reports it
  }
};

/** Refuses `user:password@` in a URL: secrets never live in the config file. */
export const withoutCredentials = (url: z.ZodURL) =>
  url.refine((u) => !hasCredentials(u), {
    error:
      'credentials in a URL are not allowed (secrets never live in the config file): send them in a header from a secret, e.g. "headers": { "Authorization": { "secret": "NODE_TOKEN" } }',
  });

/** An http(s) URL; the example in the message shows the port and path the check expects. */
export const httpUrl = (example: string) =>
  withoutCredentials(z.url({ protocol: /^https?$/, error: `an http(s) URL such as ${example}` }).max(2048));

export const bodyBytes = (fallback: number) => z.number().int().min(1024).max(8_388_608).default(fallback);
