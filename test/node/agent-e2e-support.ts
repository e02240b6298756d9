import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface LocalWorker {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/**
 * The Worker on local workerd (`wrangler dev`), with a generated config bundled in place of
 * uptime.config.json through a copy of wrangler.toml whose [alias] points at it (as src/local/start.ts
 * does), its own state folder, free loopback ports, and plain-text vars for the agent keys.
 */
export async function startLocalWorker(
  dir: string,
  config: unknown,
  vars: Record<string, string>,
): Promise<LocalWorker> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, "uptime.config.json");
  writeFileSync(configFile, JSON.stringify(config));
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8")
    .replace(/^main = "(.*)"$/m, `main = "${join(root, "$1")}"`)
    .replace(/^"chain-uptime-config" = .*$/m, `"chain-uptime-config" = "${configFile}"`);
  const tomlFile = join(dir, "wrangler.toml");
  writeFileSync(tomlFile, toml);
  const port = await freePort();
  const inspector = await freePort();
  const args = [
    "dev",
    "--config",
    tomlFile,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspector),
    "--persist-to",
    join(dir, "state"),
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  let log = "";
  const child = spawn(join(root, "node_modules", ".bin", "wrangler"), args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
    detached: false,
  });
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${log.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/api/v1/status`)).ok) break;
    } catch {}
    if (Date.now() > until) {
      child.kill("SIGTERM");
      throw new Error(`the Worker did not answer within 120 s:\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    output: () => log,
    stop: () => stopChild(child, 10_000),
  };
}

export async function stopChild(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), ms);
  await exited;
  clearTimeout(t);
}

export type ProxyMode = "pass" | "down" | "swallow";

export interface FaultProxy {
  url: string;
  mode: ProxyMode;
  /** Result posts forwarded to the Worker whose answer was thrown away. */
  swallowed: number;
  stop(): Promise<void>;
}

/**
 * Stands between the agent and the Worker: `pass` forwards, `down` answers 503 like an outage,
 * `swallow` forwards a result post and then drops the connection without the answer — the Worker
 * applied the batch, the agent never learns it did (so it must resend, and the Worker deduplicate).
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const proxy: FaultProxy = { url: "", mode: "pass", swallowed: 0, stop: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (proxy.mode === "down") return void res.writeHead(503, { "content-type": "text/plain" }).end("down");
    const t = new URL(target);
    const up = httpRequest(
      { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const swallow = proxy.mode === "swallow" && req.url === "/api/v1/agent/results";
        if (swallow) {
          answer.resume();
          answer.on("end", () => {
            proxy.swallowed++;
            res.socket?.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on("error", () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}

export interface AgentProcess {
  child: ChildProcess;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(
    pred: (l: Record<string, unknown>) => boolean,
    ms: number,
    what: string,
  ): Promise<Record<string, unknown>>;
}

/** Runs the agent CLI as its own process (Node 22, native TypeScript), collecting its JSON logs. */
export function startAgentProcess(configFile: string, env: Record<string, string>): AgentProcess {
  const child = spawn(
    join(root, "node_modules", ".bin", "node"),
    [join(root, "src", "agent", "cli.ts"), "--config", configFile],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    },
  );
  const logs: Record<string, unknown>[] = [];
  let partial = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    partial += d.toString();
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ event: "non_json", line });
      }
    }
  });
  child.stderr?.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );
  return {
    child,
    logs,
    exited,
    async waitFor(pred, ms, what) {
      const until = Date.now() + ms;
      for (;;) {
        const hit = logs.find(pred);
        if (hit) return hit;
        if (child.exitCode !== null)
          throw new Error(`agent exited while waiting for ${what}: ${stderr.slice(-2000)}`);
        if (Date.now() > until) {
          throw new Error(
            `timed out waiting for ${what}; last logs: ${JSON.stringify(logs.slice(-8))} ${stderr.slice(-1000)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
