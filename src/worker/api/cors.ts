import { cors } from "hono/cors";

/** Public read endpoints may be read from any page: `*`, GET/HEAD/OPTIONS, no credentials. Never on admin or agent routes. */
export const publicCors = cors({
  origin: "*",
  allowMethods: ["GET", "HEAD", "OPTIONS"],
  allowHeaders: ["If-None-Match"],
  exposeHeaders: ["ETag"],
  maxAge: 86_400,
});

/** The app's public read paths (Hono patterns) that get CORS and cache headers. */
export const PUBLIC_READ_PATHS = [
  "/api/v1/status",
  "/api/v1/monitors/*",
  "/api/v1/incidents",
  "/api/v1/maintenance",
  "/api/v1/badges/*",
  "/metrics",
  "/openapi.json",
] as const;
