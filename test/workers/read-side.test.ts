import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { PAGE_EXTRAS_KEY, PUBLIC_VERSION_KEY, SNAPSHOT_KEY } from "../../src/worker/board/snapshot.ts";
import worker from "../../src/worker/index.ts";
import { flushBoard, probeNow } from "./helpers.ts";

/**
 * The read side: once the board has published, anonymous reads of every public route are served
 * from KV and the isolate's memory — no Durable Object is asked — and a conditional request for the
 * current version is a 304 that reads nothing but the version.
 */
const ROUTES = [
  "/",
  "/monitors/a-rpc",
  "/feed.atom",
  "/api/v1/status",
  "/api/v1/monitors/a-rpc",
  "/api/v1/badges/a-rpc/status.svg",
  "/api/v1/badges/a-rpc/uptime.svg?window=7d",
  "/api/v1/badges/a-rpc/shields.json",
  "/metrics",
];
const NAMESPACES = ["STATE", "BOARD", "PROBER", "ALERTS", "AGENT"] as const;

/** The Worker's env with every Durable Object namespace and the KV namespace counting their use. */
function counted() {
  const objects: string[] = [];
  const kvReads: string[] = [];
  const wrapped: Record<string, unknown> = { ...env };
  for (const name of NAMESPACES) {
    const ns = (env as unknown as Record<string, object>)[name];
    if (!ns) continue;
    wrapped[name] = new Proxy(ns, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          objects.push(`${name}.${String(prop)}(${String(args[0])})`);
          return value.apply(target, args);
        };
      },
    });
  }
  wrapped.SNAPSHOT = new Proxy(env.SNAPSHOT, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (prop === "get" || prop === "getWithMetadata") kvReads.push(String(args[0]));
        return value.apply(target, args);
      };
    },
  });
  return { env: wrapped as unknown as typeof env, objects, kvReads };
}

async function get(e: typeof env, path: string, headers: Record<string, string> = {}) {
  return worker.fetch(new Request(`http://uptime.test${path}`, { headers }), e, createExecutionContext());
}

beforeAll(async () => {
  await probeNow("weur");
  await probeNow("enam");
  await flushBoard();
});

describe("the read side", () => {
  it("serves every public route without asking a Durable Object", async () => {
    const c = counted();
    for (const path of ROUTES) {
      for (let i = 0; i < 3; i++) {
        const res = await get(c.env, path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get("etag"), path).toMatch(/^W\/"v\d+"$/);
        await res.arrayBuffer();
      }
    }
    expect(c.objects).toEqual([]);
  });

  it("answers a conditional request for the current version with 304, reading only the version", async () => {
    await flushBoard(); // a version no isolate has built yet
    const version = await env.SNAPSHOT.get(PUBLIC_VERSION_KEY);
    expect(version).toMatch(/^\d+$/);
    for (const path of ROUTES) {
      const c = counted();
      const res = await get(c.env, path, { "if-none-match": `W/"v${version}"` });
      expect(res.status, path).toBe(304);
      expect(res.headers.get("etag")).toBe(`W/"v${version}"`);
      expect(c.kvReads, path).toEqual([PUBLIC_VERSION_KEY]);
      expect(c.objects).toEqual([]);
    }
    // An older version gets the body, tagged with the current one.
    const res = await get(env, "/api/v1/status", { "if-none-match": 'W/"v1"' });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(`W/"v${version}"`);
  });

  it("publishes no target of a non-public monitor anywhere", async () => {
    const fleet = inject("fleet");
    const a = fleet.nodes.find((n) => n.id === "e2e-a");
    if (!a) throw new Error("no e2e-a");
    // a-rpc, a-events and a-p2p are not public; only a-rest (public) may show its REST URL.
    const secrets = [`${a.host}:${a.ports.rpc}`, `${a.host}:${a.ports.sse}`, `${a.host}:${a.ports.p2p}`];
    const stored = await Promise.all([SNAPSHOT_KEY, PAGE_EXTRAS_KEY].map((k) => env.SNAPSHOT.get(k)));
    const bodies = await Promise.all(ROUTES.map(async (p) => (await get(env, p)).text()));
    for (const text of [...stored, ...bodies]) {
      expect(text).toBeTruthy();
      for (const s of secrets) expect(text).not.toContain(s);
    }
    // …while the public one does show its target, so the check above looks at real bodies.
    const status = await (await get(env, "/api/v1/status")).text();
    expect(status).toContain(`${a.host}:${a.ports.rest}`);
  });
});

describe("heavier reads", () => {
  it("are limited per client with 429 and Retry-After; other clients are not affected", async () => {
    const history = (ip: string) =>
      get(env, "/api/v1/monitors/a-rest/history?limit=5", { "cf-connecting-ip": ip });
    // 45 in well under a second: at most two 10-s windows of 20, so at least five are refused.
    const responses: Response[] = [];
    for (let i = 0; i < 45; i++) responses.push(await history("198.51.100.7"));
    const statuses = responses.map((r) => r.status);
    expect(statuses[0]).toBe(200);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const refused = responses.find((r) => r.status === 429) as Response;
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
    expect((await history("203.0.113.9")).status).toBe(200);
    // The published routes are not limited: they cost no object any work.
    for (let i = 0; i < 25; i++) {
      const res = await get(env, "/api/v1/status", { "cf-connecting-ip": "198.51.100.7" });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
  });
});
