import { Agent, request } from "node:http";

export interface LoadResult {
  requests: number;
  errors: number;
  latenciesMs: number[];
  seconds: number;
}

/** `connections` clients each GETting `url` back to back for `seconds` (a small autocannon). */
export async function loadTest(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const out: LoadResult = { requests: 0, errors: 0, latenciesMs: [], seconds };
  const until = Date.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(url, { agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on("end", () => {
          out.requests++;
          if (res.statusCode === 200) out.latenciesMs.push(performance.now() - t0);
          else out.errors++;
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => {
        out.requests++;
        out.errors++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) await one();
    }),
  );
  agent.destroy();
  return out;
}
