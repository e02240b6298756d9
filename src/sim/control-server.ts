import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { FaultSpecError } from "./faults.ts";
import { TrackedListener } from "./tracked-listener.ts";
import type { FleetInfo, SimNodeInfo } from "./types.ts";

/** What the control API needs of a member (a Casper node, a Nano node, a Chia peer, a JSON endpoint). */
export interface ControlledMember {
  readonly id: string;
  info(): unknown;
  /** Validates the body (FaultSpecError → 400 naming the field) and applies it. */
  setFault(body: unknown): Promise<unknown>;
  stats(): unknown;
  resetStats(): void;
}

export interface FleetRegistry {
  member(id: string): ControlledMember | undefined;
  /** Casper nodes only: what GET /nodes has always listed. */
  casperInfos(): SimNodeInfo[];
  /** Every member by kind (GET /fleet). */
  fleetInfo(): Omit<FleetInfo, "controlUrl">;
  /**
   * Switches a validator (Casper key, Nano representative) of a simulated network: the body is
   * the network's own (`{"status": …}`); undefined when no network knows the key.
   */
  setValidator(key: string, body: unknown): unknown;
}

const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The fleet's control API (see FleetControl in control-client.ts): list nodes (GET /nodes: Casper;
 * GET /fleet: every kind), switch any member's fault, read and reset its stats. Errors are
 * `{"error": "<field>: <what is wrong>"}`.
 */
export function createControlServer(registry: FleetRegistry, host: string): TrackedListener {
  const server = createServer((req, res) => {
    route(registry, req).then(
      ({ status, body }) => send(res, status, body),
      (error: unknown) => {
        if (error instanceof HttpError) send(res, error.status, { error: error.message });
        else if (error instanceof FaultSpecError) send(res, 400, { error: error.message });
        else send(res, 500, { error: String(error) });
      },
    );
  });
  return new TrackedListener(server, host);
}

async function route(
  registry: FleetRegistry,
  req: IncomingMessage,
): Promise<{ status: number; body?: unknown }> {
  const path = new URL(req.url ?? "/", "http://control").pathname;
  const method = req.method ?? "GET";
  if (path === "/nodes") {
    allow(method, "GET");
    return { status: 200, body: registry.casperInfos() };
  }
  if (path === "/fleet") {
    allow(method, "GET");
    return { status: 200, body: registry.fleetInfo() };
  }
  const validator = /^\/validators\/([^/]+)$/.exec(path);
  if (validator !== null) {
    allow(method, "PUT");
    const key = decodeURIComponent(validator[1] ?? "");
    const answer = registry.setValidator(key, await readJson(req));
    if (answer === undefined)
      throw new HttpError(404, `key: no simulated network has validator ${JSON.stringify(key)}`);
    return { status: 200, body: answer };
  }
  const match = /^\/nodes\/([^/]+)\/(fault|stats|stats\/reset)$/.exec(path);
  if (match === null) throw new HttpError(404, `no route ${path}`);
  const id = decodeURIComponent(match[1] ?? "");
  const node = registry.member(id);
  if (node === undefined) throw new HttpError(404, `node: unknown node ${JSON.stringify(id)}`);
  switch (match[2]) {
    case "fault":
      allow(method, "PUT");
      // setFault validates the body and names the bad field (FaultSpecError → 400).
      return { status: 200, body: await node.setFault(await readJson(req)) };
    case "stats":
      allow(method, "GET");
      return { status: 200, body: node.stats() };
    default:
      allow(method, "POST");
      node.resetStats();
      return { status: 204 };
  }
}

function allow(method: string, expected: string): void {
  if (method !== expected) throw new HttpError(405, `method: expected ${expected}, got ${method}`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY_BYTES) throw new HttpError(413, `body: larger than ${MAX_BODY_BYTES} bytes`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "body: not valid JSON");
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
