/**
 * The Worker's environment: the bindings exactly as `wrangler types` generates them from
 * wrangler.jsonc (worker-configuration.d.ts, `npm run cf-typegen`; CI fails when it is stale),
 * plus what no config file names, declared here once: the secrets this code reads itself and the
 * local config override. Secrets a config refers to by name ({ "secret": "X" }) are looked up
 * dynamically (core/secrets.ts).
 */
declare global {
  namespace Cloudflare {
    interface Env {
      /** Config JSON; overrides the bundled uptime.config.json (local runs, tests). */
      UPTIME_CONFIG?: string;
      /** Bearer token of the admin endpoints; without it they answer 503. */
      ADMIN_TOKEN?: string;
      /** Signs SLA reports (HMAC-SHA256); without it reports are refused. */
      REPORT_SIGNING_KEY?: string;
      /**
       * How long an isolate trusts the published version it last read before asking KV again (ms,
       * default 2000): the price of a fresh answer versus a KV read per public request.
       */
      PUBLIC_VERSION_TTL_MS?: string;
    }
  }
}

export type Env = Cloudflare.Env;
