import type { Context, MiddlewareHandler } from "hono";
import type { PublicMonitor } from "../../core/public.ts";
import { PAGE_EXTRAS_KEY, type PageExtras, PUBLIC_VERSION_KEY, type Snapshot } from "../board/snapshot.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { presentMonitor } from "./present.ts";
import { PUBLIC_CACHE_CONTROL, publicNow } from "./public-cache.ts";
import { readSnapshot } from "./snapshot-source.ts";

/**
 * The read side. The board publishes a version of the public artefacts (snapshot, page extras) to
 * KV; each isolate turns a version into what readers get — presented monitors, then each rendered
 * body on first request — once, and serves every later request of that version from memory. No
 * anonymous read calls a Durable Object once a version exists (before the board's first write the
 * board itself answers, uncached).
 */
export interface PublicView {
  /** The snapshot's generatedAt as text; the ETag of everything built from it. */
  version: string;
  snapshot: Snapshot;
  now: number;
  monitors: PublicMonitor[];
  byId: Map<string, PublicMonitor>;
  /** False for the board's live answer before the first publication: never cached. */
  published: boolean;
  /** Bodies rendered from this version, by route (and parameters), encoded once (see publicBody). */
  bodies: Map<string, Uint8Array<ArrayBuffer>>;
  extras?: Promise<PageExtras>;
}

let current: PublicView | undefined;
let seen: { version: string | null; at: number } | undefined;

/** Default of PUBLIC_VERSION_TTL_MS: a new version reaches readers within 2 s of its publication. */
const VERSION_TTL_MS = 2_000;

function versionTtl(env: Env): number {
  const ms = Number(env.PUBLIC_VERSION_TTL_MS ?? VERSION_TTL_MS);
  return Number.isFinite(ms) && ms >= 0 ? ms : VERSION_TTL_MS;
}

/** The published version: a few bytes from KV, read at most once per TTL per isolate. */
export async function publishedVersion(env: Env): Promise<string | null> {
  const now = Date.now();
  if (seen && now - seen.at < versionTtl(env)) return seen.version;
  const version = await env.SNAPSHOT.get(PUBLIC_VERSION_KEY);
  seen = { version, at: now };
  return version;
}

function buildView(env: Env, snapshot: Snapshot, published: boolean): PublicView {
  const config = loadConfig(env);
  const views = new Map(snapshot.monitors.map((v) => [v.id, v]));
  const now = publicNow(snapshot.generatedAt, Math.max(Date.now(), snapshot.generatedAt));
  const monitors = config.monitors.map((m) =>
    presentMonitor(m, views.get(m.id), snapshot.timelines[m.id], now),
  );
  return {
    version: String(snapshot.generatedAt),
    snapshot,
    now,
    monitors,
    byId: new Map(monitors.map((m) => [m.id, m])),
    published,
    bodies: new Map(),
  };
}

/** The current public view: from this isolate's memory when the version has not moved. */
async function publicView(env: Env): Promise<PublicView> {
  const version = await publishedVersion(env);
  if (version !== null && current?.version === version) return current;
  const snapshot = await readSnapshot(env);
  const view = buildView(env, snapshot, version !== null);
  if (view.published) {
    current = view;
    // The snapshot may be newer than the version read a moment ago: trust what was served.
    if (view.version !== version) seen = { version: view.version, at: Date.now() };
  }
  return view;
}

const utf8 = new TextEncoder();

/** Where a version's bodies are kept in the colo's cache (the key names the version: never stale). */
const cacheKey = (version: string, key: string) =>
  `https://chain-uptime.invalid/public/${version}/${encodeURIComponent(key)}`;
/** Versions change at least every few minutes; a body of an old one is just never asked for again. */
const CACHE_SECONDS = 600;

export interface PublicBody {
  body: Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
}

/**
 * A public body for the current version, rendered once: from this isolate's memory; else from the
 * colo's cache (the Cache API), where another isolate may have put it — then nothing is parsed;
 * else rendered from the view and put in both. `defer` keeps the cache write off the response path.
 */
export async function publicBody(
  env: Env,
  key: string,
  render: (view: PublicView) => string | Promise<string>,
  defer: (work: Promise<unknown>) => void,
): Promise<PublicBody> {
  const version = await publishedVersion(env);
  if (version !== null && current?.version === version) {
    const kept = current.bodies.get(key);
    if (kept) return { body: kept, headers: versionHeaders(current) };
  }
  const cache = version === null ? undefined : await colo();
  if (version !== null && cache) {
    const hit = await cache.match(cacheKey(version, key));
    if (hit) return { body: new Uint8Array(await hit.arrayBuffer()), headers: versionHeadersOf(version) };
  }
  const view = await publicView(env);
  // encode() always returns a fresh, non-shared buffer; the library type is just wider.
  const body = utf8.encode(await render(view)) as Uint8Array<ArrayBuffer>;
  if (view.published) {
    view.bodies.set(key, body);
    if (cache) {
      const stored = new Response(body, { headers: { "cache-control": `public, max-age=${CACHE_SECONDS}` } });
      defer(cache.put(cacheKey(view.version, key), stored).catch(() => {}));
    }
  }
  return { body, headers: versionHeaders(view) };
}

/** The colo's cache, where the runtime has one. */
async function colo(): Promise<Cache | undefined> {
  return typeof caches === "undefined" ? undefined : caches.default;
}

/** The page's extras (latency charts, incidents with notes) for this version, fetched once. */
export function pageExtras(env: Env, view: PublicView): Promise<PageExtras> {
  if (view.extras) return view.extras;
  const load = async (): Promise<PageExtras> => {
    const stored = view.published ? await env.SNAPSHOT.get<PageExtras>(PAGE_EXTRAS_KEY, "json") : null;
    return stored ?? env.BOARD.getByName("global").extras();
  };
  const extras = load();
  if (view.published) view.extras = extras;
  return extras;
}

const etagOf = (version: string) => `W/"v${version}"`;

/** Headers of a body built from `view`: its version as the ETag (none before the first publication). */
function versionHeaders(view: PublicView): Record<string, string> {
  return view.published ? versionHeadersOf(view.version) : {};
}

function versionHeadersOf(version: string): Record<string, string> {
  return { etag: etagOf(version), "cache-control": PUBLIC_CACHE_CONTROL };
}

/**
 * A conditional request for the current published version is a 304 before anything is fetched,
 * parsed or rendered. Other requests go on to the handler, which tags its body with versionHeaders.
 */
export const versionedCache: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
  const asked = c.req.header("if-none-match");
  const version = asked ? await publishedVersion(c.env) : null;
  if (version !== null && asked?.split(",").some((t) => t.trim() === etagOf(version))) {
    return c.body(null, 304, { etag: etagOf(version), "cache-control": PUBLIC_CACHE_CONTROL });
  }
  await next();
};

/** Runs `work` after the response where the runtime allows (waitUntil), else lets it run on. */
export function deferOf(c: Context): (work: Promise<unknown>) => void {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context (an app called directly): the promise still settles on its own.
    }
  };
}
