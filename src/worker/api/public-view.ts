import type { MiddlewareHandler } from "hono";
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
  /** Bodies rendered from this version, by route (and parameters), encoded once. */
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
export async function publicView(env: Env): Promise<PublicView> {
  const version = await publishedVersion(env);
  if (version !== null && current?.version === version) return current;
  const snapshot = await readSnapshot(env);
  const view = buildView(env, snapshot, version !== null);
  if (view.published) current = view;
  return view;
}

const utf8 = new TextEncoder();

/**
 * A body rendered and encoded once per version (per isolate) and kept with it: a request for a
 * kept body allocates nothing but its response.
 */
export function rendered(view: PublicView, key: string, render: () => string): Uint8Array<ArrayBuffer> {
  const kept = view.bodies.get(key);
  if (kept !== undefined) return kept;
  // encode() always returns a fresh, non-shared buffer; the library type is just wider.
  const body = utf8.encode(render()) as Uint8Array<ArrayBuffer>;
  if (view.published) view.bodies.set(key, body);
  return body;
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
export function versionHeaders(view: PublicView): Record<string, string> {
  return view.published ? { etag: etagOf(view.version), "cache-control": PUBLIC_CACHE_CONTROL } : {};
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
