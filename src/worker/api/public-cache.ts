import type { MiddlewareHandler } from "hono";
import { etag } from "hono/etag";

/** Short edge/browser caching for public reads; the snapshot itself changes at most once a second. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=15, stale-while-revalidate=30";

const weakEtag = etag({ weak: true });

/** ETag (weak, from the body) with 304 on If-None-Match, and Cache-Control, on successful public reads. */
export const publicCache: MiddlewareHandler = async (c, next) => {
  await weakEtag(c, async () => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has("cache-control")) {
      c.res.headers.set("cache-control", PUBLIC_CACHE_CONTROL);
    }
  });
};

/** Public outputs are computed as of this step, so a body (and its ETag) holds still between snapshot changes. */
export const PUBLIC_TIME_STEP_MS = 15_000;

/**
 * "Now" for public outputs: the current time floored to the step, but never before the snapshot
 * was made (so every transition it holds counts). The body then changes only when the snapshot
 * does or a step passes.
 */
export const publicNow = (snapshotAt = 0, t = Date.now()) =>
  Math.max(Math.floor(t / PUBLIC_TIME_STEP_MS) * PUBLIC_TIME_STEP_MS, Math.min(snapshotAt, t));
