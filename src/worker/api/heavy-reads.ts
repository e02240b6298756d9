import type { MiddlewareHandler } from "hono";
import type { Env } from "../env.ts";

/** The HEAVY_READS window (wrangler.jsonc `ratelimits`): a refused client may try again after it. */
const WINDOW_SEC = 10;

/**
 * Reads that touch stored history (a monitor's raw results, incidents, SLA reports) are counted per
 * client with the platform's rate limiting binding; past the limit a client gets a 429 with
 * Retry-After, so a burst of them cannot keep the state objects from ingesting results.
 */
export const heavyReadLimit: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  // Cloudflare's edge always sets it; only local runs and tests come without one.
  const client = c.req.header("cf-connecting-ip");
  if (!client) return next();
  const { success } = await c.env.HEAVY_READS.limit({ key: client });
  if (success) return next();
  return c.json(
    {
      error: "rate_limited",
      message: `too many history, incident or report requests from this client; try again in ${WINDOW_SEC} s`,
    },
    429,
    { "retry-after": String(WINDOW_SEC) },
  );
};
