import { Hono } from "hono";
import type { Config } from "../../core/config/schema.ts";
import { isPushMonitor, PUSH_BODY_MAX, PushCallSchema, type PushMonitor } from "../../core/push/heartbeat.ts";
import { stateShardOf } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { BadRequest, parseParams } from "./validate.ts";

/** The PUSH_CALLS window (wrangler.jsonc `ratelimits`). */
const WINDOW_SEC = 10;
/** Shorter tokens are guessable; a monitor whose secret is shorter takes no calls. */
const TOKEN_MIN = 16;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Push monitors by the SHA-256 of their token, built once per config: a lookup by digest tells a
 * timing observer nothing about the token, and the tokens themselves are kept nowhere.
 */
const byDigest = new WeakMap<Config, Promise<Map<string, PushMonitor>>>();

function pushMonitors(config: Config, env: Env): Promise<Map<string, PushMonitor>> {
  let table = byDigest.get(config);
  if (!table) {
    table = (async () => {
      const out = new Map<string, PushMonitor>();
      for (const m of config.monitors) {
        if (!isPushMonitor(m)) continue;
        const token = (env as unknown as Record<string, unknown>)[m.check.token.secret];
        if (typeof token !== "string" || token.length < TOKEN_MIN) {
          console.error(
            JSON.stringify({
              event: "push_token_unusable",
              monitor: m.id,
              secret: m.check.token.secret,
              min: TOKEN_MIN,
            }),
          );
          continue;
        }
        out.set(await sha256(token), m);
      }
      return out;
    })();
    byDigest.set(config, table);
  }
  return table;
}

/** The call's fields from its body: JSON, a form, or nothing. Bounded before anything is parsed. */
async function bodyFields(req: Request): Promise<Record<string, unknown> | "too_large"> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > PUSH_BODY_MAX) return "too_large";
  if (!req.body) return {};
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > PUSH_BODY_MAX) {
      await reader.cancel().catch(() => {});
      return "too_large";
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(await new Blob(chunks).arrayBuffer()).trim();
  if (text === "") return {};
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(text));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequest([{ parameter: "body", message: "expected a JSON object or a form" }]);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new BadRequest([{ parameter: "body", message: "expected a JSON object" }]);
  }
  return parsed as Record<string, unknown>;
}

/**
 * `GET|POST /api/v1/push/{token}`: a heartbeat for the push monitor whose token secret this is.
 * A wrong token is the same 404 as any unknown path. Calls are limited per monitor; a burst
 * within one interval is one record (the state object keeps the rest in memory).
 */
export const pushRoutes = new Hono<{ Bindings: Env }>().on(["GET", "POST"], "/push/:token", async (c) => {
  const config = loadConfig(c.env);
  const monitor = (await pushMonitors(config, c.env)).get(await sha256(c.req.param("token")));
  if (!monitor) return c.notFound();
  const { success } = await c.env.PUSH_CALLS.limit({ key: monitor.id });
  if (!success) {
    return c.json(
      {
        error: "rate_limited",
        message: `too many calls for this push monitor; try again in ${WINDOW_SEC} s`,
      },
      429,
      { "retry-after": String(WINDOW_SEC) },
    );
  }
  const body = await bodyFields(c.req.raw);
  if (body === "too_large") {
    return c.json(
      { error: "too_large", message: `a push call's body is at most ${PUSH_BODY_MAX} bytes` },
      413,
    );
  }
  const call = parseParams(PushCallSchema, { ...c.req.query(), ...body });
  const shard = stateShardOf(monitor);
  const answer = await c.env.STATE.getByName(shard).push(shard, monitor.id, call);
  return c.json({
    ok: true,
    monitor: monitor.id,
    state: answer.state,
    recorded: answer.recorded,
    expectedBy: new Date(answer.expectedBy).toISOString(),
  });
});
