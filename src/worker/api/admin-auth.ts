import type { MiddlewareHandler } from "hono";
import type { Env } from "../env.ts";

/** Compares in time that depends only on the length of `expected`, never on where they differ. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ (b[i] as number);
  return diff === 0;
}

/** Admin endpoints: `Authorization: Bearer <ADMIN_TOKEN>`; without a configured token they are off. */
export const requireAdmin: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected)
    return c.json(
      { error: "admin_disabled", message: "set the ADMIN_TOKEN secret to use admin endpoints" },
      403,
    );
  const header = c.req.header("authorization") ?? "";
  const token = header.startsWith("Bearer ") ? header.slice(7) : "";
  if (!constantTimeEqual(token, expected)) {
    return c.json({ error: "unauthorized", message: "a valid bearer token is required" }, 401, {
      "www-authenticate": 'Bearer realm="chain-uptime admin"',
    });
  }
  await next();
};
