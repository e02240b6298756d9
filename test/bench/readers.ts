import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { percentile } from "./stats.ts";

export interface ReadRoute {
  name: string;
  path: string;
  /** Conditional: each reader sends the ETag it last got on this route, as a browser does. */
  conditional?: boolean;
  /** The status that counts as success (default 200; 304 always counts). */
  expect?: number;
}

export interface RouteFigures {
  route: string;
  requests: number;
  errors: number;
  notModified: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * `readers` clients, each going round the routes back to back for `seconds` (starting at a
 * different route each), as a crowd refreshing the status page and its API during an incident.
 */
export async function readLoad(
  base: string,
  routes: readonly ReadRoute[],
  readers: number,
  seconds: number,
): Promise<RouteFigures[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: readers });
  const stats = routes.map(() => ({ latencies: [] as number[], requests: 0, errors: 0, notModified: 0 }));
  const until = Date.now() + seconds * 1000;
  const one = (i: number, etags: Map<number, string>) =>
    new Promise<void>((resolve) => {
      const route = routes[i] as ReadRoute;
      const s = stats[i] as (typeof stats)[number];
      const known = route.conditional ? etags.get(i) : undefined;
      const headers = known ? { "if-none-match": known } : undefined;
      const t0 = performance.now();
      const req = request(`${base}${route.path}`, { agent, headers, timeout: 30_000 }, (res) => {
        res.resume();
        const etag = res.headers.etag;
        if (etag) etags.set(i, etag);
        res.on("end", () => {
          s.requests++;
          const ok = res.statusCode === (route.expect ?? 200) || res.statusCode === 304;
          if (ok) s.latencies.push(performance.now() - t0);
          else s.errors++;
          if (res.statusCode === 304) s.notModified++;
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => {
        s.requests++;
        s.errors++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: readers }, async (_, r) => {
      const etags = new Map<number, string>();
      for (let k = r; Date.now() < until; k++) await one(k % routes.length, etags);
    }),
  );
  agent.destroy();
  return routes.map((route, i) => {
    const s = stats[i] as (typeof stats)[number];
    return {
      route: route.name,
      requests: s.requests,
      errors: s.errors,
      notModified: s.notModified,
      requestsPerSecond: s.requests / seconds,
      p50Ms: percentile(s.latencies, 50),
      p99Ms: percentile(s.latencies, 99),
    };
  });
}

/** Resident memory of the given processes together, MiB (Linux /proc). */
export function rssMiB(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      kib += Number(m?.[1] ?? 0);
    } catch {}
  }
  return kib / 1024;
}

/** Samples `rss()` every second until stopped; gives the mean and the peak. */
export function rssSampler(rss: () => number): { stop(): { meanMiB: number; peakMiB: number } } {
  const samples: number[] = [rss()];
  const timer = setInterval(() => samples.push(rss()), 1000);
  return {
    stop() {
      clearInterval(timer);
      samples.push(rss());
      return { meanMiB: samples.reduce((a, b) => a + b, 0) / samples.length, peakMiB: Math.max(...samples) };
    },
  };
}
