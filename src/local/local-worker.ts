import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

export interface LocalWorkerOptions {
  /** Loopback port; a free one when absent. */
  port?: number;
  /**
   * A config to bundle in place of uptime.config.json. It goes through a copy of wrangler.jsonc
   * whose "alias" points at it: a config is too large for a variable, and the file's alias wins
   * over `--alias`.
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
  /** wrangler's DevTools inspector (heap and CPU profiles of the Worker). */
  inspectorPort: number;
  /** Runs the scheduled handler: locally cron does not fire by itself. */
  cron(): Promise<void>;
  output(): string;
  stop(): Promise<void>;
  /**
   * SIGKILL to wrangler and workerd at once, as a crash or an OOM kill would: nothing gets to
   * flush or close. Only for a piped worker (its own process group).
   */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A copy of wrangler.jsonc that bundles `config` in place of uptime.config.json. */
async function wranglerConfigFor(dir: string, config: unknown): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, "uptime.config.json");
  writeFileSync(configFile, JSON.stringify(config));
  const { experimental_readRawConfig } = await import("wrangler");
  const { rawConfig } = experimental_readRawConfig({ config: join(root, "wrangler.jsonc") });
  const { $schema: _schema, ...raw } = rawConfig as Record<string, unknown>;
  const copy = {
    ...raw,
    main: join(root, String(raw.main)),
    alias: { ...(raw.alias as object), "chain-uptime-config": configFile },
  };
  const file = join(dir, "wrangler.json");
  writeFileSync(file, JSON.stringify(copy, null, 2));
  return file;
}

/**
 * How the local runtime is set up unless the caller's environment says otherwise. None of it
 * exists in the deployed Worker; each entry was measured at 5,000 monitors (docs/benchmark.md).
 */
const LOCAL_DEFAULTS = {
  // Wrangler's trace collector keeps a trace of every invocation in an object never evicted:
  // ~1 MiB of memory and 0.2 MiB of disk a second, and ~0.4 ms of CPU per probe.
  X_LOCAL_OBSERVABILITY: "false",
  // The local data explorer: ~30 MiB held whether or not anyone looks.
  X_LOCAL_EXPLORER: "false",
  // V8 lets each isolate's young generation grow to 16 MiB per semi-space. Capped at 1 MiB, the
  // process holds ~320 instead of ~490 MiB at 5,000 monitors, and 1,000 probes/s stay 100 % on
  // time. (`--optimize-for-size` on top saved nothing more and cost that ceiling: 99.06 %.)
  MINIFLARE_WORKERD_V8_FLAGS: "--max-semi-space-size=1",
};

/** Offline machines: no telemetry, and no fetch of Request.cf data (it fails with a stack trace). */
const OFFLINE = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/**
 * wrangler's environment: the local defaults unless the caller's environment sets them (an empty
 * MINIFLARE_WORKERD_V8_FLAGS gives V8 its own sizing back), then the offline settings, always.
 */
export function localWorkerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...LOCAL_DEFAULTS, ...env, ...OFFLINE };
}

/** The Worker on local workerd (`wrangler dev --test-scheduled`), resolved once it answers. */
export async function startLocalWorker(opts: LocalWorkerOptions = {}): Promise<LocalWorker> {
  const port = opts.port ?? (await freePort());
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--test-scheduled"];
  const inspectorPort = await freePort();
  args.push("--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false");
  if (opts.config !== undefined) {
    const dir = opts.dir ?? join(root, ".wrangler", "generated");
    args.push("--config", await wranglerConfigFor(dir, opts.config), "--persist-to", join(dir, "state"));
  }
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push("--var", `${k}:${v}`);

  let log = "";
  const piped = opts.output !== "inherit";
  const child = spawn(join(root, "node_modules", ".bin", "wrangler"), args, {
    cwd: root,
    stdio: ["ignore", piped ? "pipe" : "inherit", piped ? "pipe" : "inherit"],
    // A piped worker leads its own process group, so kill() reaches workerd too; an inherited
    // one stays in the terminal's group, so Ctrl-C reaches it.
    detached: piped,
    env: localWorkerEnv(),
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
    inspectorPort,
    output: () => log,
    stop: () => stopChild(child, 10_000),
    async kill() {
      if (!piped || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      process.kill(-child.pid, "SIGKILL");
      await exited;
    },
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

/** SIGINT (what Ctrl-C sends: wrangler then stops esbuild cleanly), SIGKILL after `ms`. */
export async function stopChild(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGINT");
  const t = setTimeout(() => child.kill("SIGKILL"), ms);
  await exited;
  clearTimeout(t);
}
