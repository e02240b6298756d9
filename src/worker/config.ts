// Resolved by the bundler: wrangler.jsonc's "alias" points it at uptime.config.json.
import bundled from "chain-uptime-config";
import { ConfigError, parseConfig, parseConfigText } from "../core/config/load.ts";
import type { Config } from "../core/config/schema.ts";
import type { Env } from "./env.ts";

let cached: { source: unknown; config: Config } | undefined;

/**
 * The config in force: env.UPTIME_CONFIG when set (tests), else the config file bundled at
 * deploy time (uptime.config.json, or another file via `wrangler --alias chain-uptime-config=…`). Parsed once per isolate; a bad config throws a
 * ConfigError listing every bad field, so nothing runs on a half-valid config.
 */
export function loadConfig(env: Pick<Env, "UPTIME_CONFIG">): Config {
  const source: unknown = env.UPTIME_CONFIG ?? bundled;
  if (cached && cached.source === source) return cached.config;
  const loaded = typeof source === "string" ? parseConfigText(source) : parseConfig(source);
  if (!loaded.ok) throw new ConfigError(loaded.issues);
  const config = loaded.config;
  cached = { source, config };
  return config;
}
