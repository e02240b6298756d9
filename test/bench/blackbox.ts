import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import { freePort, stopChild } from "../../src/local/local-worker.ts";
import { hash, sleep } from "./stats.ts";

const BINARIES = ["prometheus-blackbox-exporter", "blackbox_exporter"];

/** The exporter's binary on PATH, or undefined. */
export function findBlackbox(): string | undefined {
  for (const bin of BINARIES) {
    const r = spawnSync("sh", ["-c", `command -v ${bin}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

export const BLACKBOX_MISSING = [
  "blackbox_exporter is not installed, so the peer's figures are left out.",
  "Install it with: apt-get install -y prometheus-blackbox-exporter",
].join("\n");

export interface Blackbox {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** blackbox_exporter on 127.0.0.1 with a generated config holding one module, http_2xx. */
export async function startBlackbox(bin: string, dir: string): Promise<Blackbox> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, "blackbox.yml");
  writeFileSync(
    configFile,
    [
      "modules:",
      "  http_2xx:",
      "    prober: http",
      "    timeout: 5s",
      "    http:",
      "      preferred_ip_protocol: ip4",
      "      method: GET",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const child = spawn(bin, [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (d) => {
    log = (log + d).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`blackbox_exporter exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${url}/-/healthy`)).ok) break;
    } catch {}
    if (Date.now() > until) {
      await stopChild(child, 2000);
      throw new Error(`blackbox_exporter did not answer on ${url}:\n${log}`);
    }
    await sleep(200);
  }
  return { url, child, stop: () => stopChild(child, 5000) };
}

export interface ScrapeResults {
  scrapes: number;
  failures: number;
  /** probe_duration_seconds × 1000 of each successful probe. */
  durationsMs: number[];
  /** How late each scrape started after its slot, ms. */
  lateMs: number[];
}

/**
 * Scrapes `/probe?target=…&module=http_2xx` for every target once per interval, each at its own
 * phase (a hash of the target, as Prometheus spreads its scrapes), until `untilMs`.
 */
export async function runScheduler(
  exporterUrl: string,
  targets: string[],
  intervalSec: number,
  startMs: number,
  untilMs: number,
): Promise<ScrapeResults> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const out: ScrapeResults = { scrapes: 0, failures: 0, durationsMs: [], lateMs: [] };
  const intervalMs = intervalSec * 1000;
  const scrape = async (target: string) => {
    const url = `${exporterUrl}/probe?target=${encodeURIComponent(target)}&module=http_2xx`;
    const text = await get(agent, url);
    out.scrapes++;
    const success = /^probe_success (\S+)$/m.exec(text)?.[1];
    const duration = /^probe_duration_seconds (\S+)$/m.exec(text)?.[1];
    if (success !== "1" || duration === undefined) out.failures++;
    else out.durationsMs.push(Number(duration) * 1000);
  };
  const loops = targets.map(async (target) => {
    const phase = hash(target) % intervalMs;
    let slot = Math.ceil((startMs - phase) / intervalMs);
    for (;;) {
      const at = phase + slot * intervalMs;
      if (at >= untilMs) return;
      const wait = at - Date.now();
      if (wait > 0) await sleep(wait);
      out.lateMs.push(Date.now() - at);
      await scrape(target).catch(() => {
        out.scrapes++;
        out.failures++;
      });
      slot++;
    }
  });
  await Promise.all(loops);
  agent.destroy();
  return out;
}

/** GET with a keep-alive agent (node:http; fetch's pool would add its own overhead). */
async function get(agent: Agent, url: string): Promise<string> {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: 15_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve(body));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}
