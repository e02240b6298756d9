import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

export interface LocalWorkerOptions {
  /** Loopback port; a free one when absent. */
  port?: number;
  /**
   * A config to bundle in place of uptime.config.json. It goes through a copy of wrangler.toml
   * whose [alias] points at it: a config is too large for a variable, and the toml's [alias]
   * wins over `--alias`.
   */
  config?: unknown;
  /** Where the generated files and (with a config) the local state go. */
  dir?: string;
  /** Plain-text vars (`--var`), e.g. secrets for a test run. */
  vars?: Record<string, string>;
  /** `inherit` shows wrangler's output (npm start); `pipe` keeps it for error messages. */
  output?: "inherit" | "pipe";
  readyTimeoutMs?: number;
}

export interface LocalWorker {
  url: string;
  child: ChildProcess;
  /** Runs the scheduled handler: locally cron does not fire by itself. */
  cron(): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function tomlFor(dir: string, config: unknown): string {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, "uptime.config.json");
  writeFileSync(configFile, JSON.stringify(config));
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8")
    .replace(/^main = "(.*)"$/m, `main = "${join(root, "$1")}"`)
    .replace(/^"chain-uptime-config" = .*$/m, `"chain-uptime-config" = "${configFile}"`);
  const tomlFile = join(dir, "wrangler.toml");
  writeFileSync(tomlFile, toml);
  return tomlFile;
}

/** The Worker on local workerd (`wrangler dev --test-scheduled`), resolved once it answers. */
export async function startLocalWorker(opts: LocalWorkerOptions = {}): Promise<LocalWorker> {
  const port = opts.port ?? (await freePort());
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--test-scheduled"];
  args.push("--inspector-port", String(await freePort()), "--show-interactive-dev-session=false");
  if (opts.config !== undefined) {
    const dir = opts.dir ?? join(root, ".wrangler", "generated");
    args.push("--config", tomlFor(dir, opts.config), "--persist-to", join(dir, "state"));
  }
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push("--var", `${k}:${v}`);

  let log = "";
  const piped = opts.output !== "inherit";
  const child = spawn(join(root, "node_modules", ".bin", "wrangler"), args, {
    cwd: root,
    stdio: ["ignore", piped ? "pipe" : "inherit", piped ? "pipe" : "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  child.stdout?.on("data", (d) => {
    log += d;
  });
  child.stderr?.on("data", (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const worker: LocalWorker = {
    url,
    child,
    output: () => log,
    stop: () => stopChild(child, 10_000),
    async cron() {
      await fetch(`${url}/__scheduled?cron=*+*+*+*+*`);
    },
  };
  const timeout = opts.readyTimeoutMs ?? 120_000;
  const until = Date.now() + timeout;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${log.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/api/v1/status`)).ok) return worker;
    } catch {}
    if (Date.now() > until) {
      await worker.stop();
      throw new Error(`the Worker did not answer on ${url} within ${timeout} ms:\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** SIGTERM, then SIGKILL after `ms`; resolves once the process is gone. */
export async function stopChild(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), ms);
  await exited;
  clearTimeout(t);
}
