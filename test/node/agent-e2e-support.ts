import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { delimiter, join } from "node:path";
import { type LocalWorker, startLocalWorker as startLocal } from "../../src/local/local-worker.ts";

const root = join(import.meta.dirname, "..", "..");

export { freePort, type LocalWorker, stopChild } from "../../src/local/local-worker.ts";

/** The Worker on local workerd with a generated config, its own state folder and plain-text vars. */
export async function startLocalWorker(
  dir: string,
  config: unknown,
  vars: Record<string, string>,
): Promise<LocalWorker> {
  return startLocal({ dir, config, vars, output: "pipe" });
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

/** The machine's own `node` (first on PATH outside node_modules), not the project's Node 22. */
export function machineNode(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir.includes("node_modules")) continue;
    const candidate = join(dir, "node");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return process.execPath;
}

/** How to start the agent: its bundle with some node (the default: from source on Node 22). */
export interface AgentCommand {
  node: string;
  script: string;
  cwd: string;
}

const FROM_SOURCE: AgentCommand = {
  node: join(root, "node_modules", ".bin", "node"),
  script: join(root, "src", "agent", "cli.ts"),
  cwd: root,
};

/** Runs the agent CLI as its own process, collecting its JSON logs. */
export function startAgentProcess(
  configFile: string,
  env: Record<string, string>,
  command: AgentCommand = FROM_SOURCE,
): AgentProcess {
  const child = spawn(command.node, [command.script, "--config", configFile], {
    cwd: command.cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
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
