import { spawn } from "node:child_process";
import { get, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import type { SimNodeInfo } from "../../src/sim/types.ts";

/** Loopback clients for the simulator tests: no pooling, so nothing outlives a test. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function url(node: SimNodeInfo, port: keyof SimNodeInfo["ports"], path: string): string {
  return `http://${node.host}:${node.ports[port]}${path}`;
}

export async function getJson<T = Record<string, unknown>>(
  target: string,
  userAgent?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(target, { headers: userAgent ? { "user-agent": userAgent } : {} });
  return { status: res.status, body: (await res.json()) as T };
}

/** Calls the JSON-RPC port like a well-behaved checker. */
export async function rpc<T = Record<string, unknown>>(
  node: SimNodeInfo,
  method: string,
  params?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url(node, "rpc", "/rpc"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, ...(params === undefined ? {} : { params }) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export interface TcpProbe {
  connected: boolean;
  code?: string;
  /** Bytes the server sent within the wait. */
  received: string;
}

/** Connects, waits `waitMs` for anything the server says, then hangs up. */
export function tcpProbe(host: string, port: number, waitMs = 0): Promise<TcpProbe> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
    });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      resolve({ connected: false, code: error.code, received }),
    );
    socket.once("connect", () => {
      setTimeout(() => {
        socket.destroy();
        resolve({ connected: true, received });
      }, waitMs);
    });
  });
}

export interface RawStream {
  status: Promise<{ code: number; headers: IncomingHttpHeaders; at: number }>;
  /** Everything received so far. */
  text(): string;
  bytes(): number;
  /** Resolves when the server or the network ends the stream. */
  ended: Promise<void>;
  waitFor(predicate: (text: string) => boolean, timeoutMs: number): Promise<string>;
  close(): void;
}

/** A raw GET that keeps everything it reads (SSE, huge bodies), capped at `keepChars` of text. */
export function openStream(
  target: string,
  headers: Record<string, string> = {},
  keepChars = 1_000_000,
): RawStream {
  let text = "";
  let bytes = 0;
  const waiters = new Set<() => void>();
  const req = get(target, { agent: false, headers });
  const ended = new Promise<void>((resolve) => req.once("close", resolve));
  const status = new Promise<{ code: number; headers: IncomingHttpHeaders; at: number }>(
    (resolve, reject) => {
      req.once("error", reject);
      req.once("response", (res) => {
        resolve({ code: res.statusCode ?? 0, headers: res.headers, at: Date.now() });
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (text.length < keepChars) text += chunk.toString("utf8");
          for (const wake of waiters) wake();
        });
        res.on("error", () => {});
      });
    },
  );
  status.catch(() => {});
  return {
    status,
    text: () => text,
    bytes: () => bytes,
    ended,
    waitFor(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(text)) return;
          cleanup();
          resolve(text);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`stream condition not met in ${timeoutMs} ms; got: ${text.slice(0, 300)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => req.destroy(),
  };
}

/** SSE events (`data:` + optional `id:` blocks) in a stream's text. */
export function sseEvents(text: string): Array<{ data: string; id?: string }> {
  return text
    .split("\n\n")
    .slice(0, -1)
    .filter((block) => block.startsWith("data:"))
    .map((block) => {
      const lines = block.split("\n");
      const id = lines.find((line) => line.startsWith("id:"))?.slice(3);
      return { data: (lines[0] ?? "").slice(5), ...(id === undefined ? {} : { id }) };
    });
}

/**
 * Runs an ES module script in a child Node and waits for it to exit on its own (SIGKILL after
 * `timeoutMs`): how the "stop() leaves nothing running" tests show that no socket or timer
 * keeps the event loop alive.
 */
export async function runScriptToExit(
  script: string,
  timeoutMs: number,
): Promise<{ output: string; exit: number | "timeout" }> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exit = await new Promise<number | "timeout">((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve("timeout");
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
  return { output, exit };
}
