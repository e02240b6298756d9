import type { IncomingMessage, ServerResponse } from "node:http";
import { FaultSpecError } from "../faults.ts";
import { sendJson } from "../http-port.ts";
import { JSON_FAULTS, type JsonFaultSpec, type SimJsonInfo, type SimJsonSpec } from "../types.ts";
import { parseMemberFault } from "./fault-spec.ts";
import { createMemberHttpServer, readBody } from "./faulty-http.ts";
import { SimMember } from "./member.ts";

const DEFAULT_BODY = { status: "UP" };

/**
 * Any JSON HTTP endpoint, for the generic `http` and `json-rpc` checks: GET (or any method) on
 * `path` answers `status` with `body`; a POST carrying a JSON-RPC 2.0 request answers from `rpc`
 * with the caller's id. Faults: slow, garbage, refusing, hung, down (503) and wrong-values (the
 * same shape with other values, so conditions have something to catch).
 */
export class SimJsonEndpoint extends SimMember<JsonFaultSpec, "http", SimJsonInfo> {
  readonly kind = "json";
  readonly path: string;
  private readonly status: number;
  private readonly body: unknown;
  private readonly rpc: Record<string, unknown> | undefined;

  static async start(spec: SimJsonSpec, options: { host: string }): Promise<SimJsonEndpoint> {
    const where = `node ${JSON.stringify(spec.id)}`;
    const fail = (field: string, expected: string, got: unknown): never => {
      throw new Error(`${where}: ${field}: expected ${expected}, got ${JSON.stringify(got)}`);
    };
    if (typeof spec.id !== "string" || !/^[A-Za-z0-9._-]+$/.test(spec.id))
      fail("id", "letters, digits, . _ -", spec.id);
    const path = spec.path ?? "/health";
    if (typeof path !== "string" || !path.startsWith("/")) fail("path", "a path starting with /", path);
    const status = spec.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599)
      fail("status", "an HTTP status 200-599", status);
    const port = spec.ports?.http;
    if (port !== undefined && (!Number.isSafeInteger(port) || port < 0))
      fail("ports.http", "an integer >= 0", port);
    if (
      spec.rpc !== undefined &&
      (typeof spec.rpc !== "object" || spec.rpc === null || Array.isArray(spec.rpc))
    ) {
      fail("rpc", "an object of method → result", spec.rpc);
    }
    if (spec.keepAlive !== undefined && typeof spec.keepAlive !== "boolean")
      fail("keepAlive", "true or false", spec.keepAlive);
    let fault: JsonFaultSpec = { fault: "healthy" };
    if (spec.fault !== undefined) {
      try {
        fault = parseJsonFault(spec.fault);
      } catch (error) {
        if (error instanceof FaultSpecError) throw new Error(`${where}: fault.${error.message}`);
        throw error;
      }
    }
    const endpoint = new SimJsonEndpoint(spec, options.host, path, status, port, fault);
    await endpoint.open();
    return endpoint;
  }

  private constructor(
    spec: SimJsonSpec,
    host: string,
    path: string,
    status: number,
    port: number | undefined,
    fault: JsonFaultSpec,
  ) {
    super(spec.id, host, ["http"], port === undefined ? {} : { http: port }, fault);
    this.path = path;
    this.status = status;
    this.body = spec.body === undefined ? DEFAULT_BODY : spec.body;
    this.rpc = spec.rpc;
    this.attach(
      "http",
      createMemberHttpServer(this, "http", (req, res, f) => this.handle(req, res, f), {
        keepAlive: spec.keepAlive ?? true,
      }),
    );
  }

  info(): SimJsonInfo {
    return {
      kind: "json",
      id: this.id,
      host: this.host,
      ports: this.ports,
      fault: this.fault,
      path: this.path,
    };
  }

  protected parseFault(body: unknown): JsonFaultSpec {
    return parseJsonFault(body);
  }

  private handle(req: IncomingMessage, res: ServerResponse, fault: JsonFaultSpec): void {
    const path = new URL(req.url ?? "/", "http://endpoint").pathname;
    if (path !== this.path) {
      req.resume();
      sendJson(res, 404, { error: "not found" });
      return;
    }
    if (fault.fault === "down") {
      req.resume();
      sendJson(res, 503, { status: "DOWN" });
      return;
    }
    const wrong = fault.fault === "wrong-values";
    if (req.method === "POST" && this.rpc !== undefined) {
      readBody(req).then(
        (text) => {
          if (!res.destroyed) this.answerRpc(res, text, wrong);
        },
        () => res.destroy(),
      );
      return;
    }
    req.resume();
    if (req.method === "HEAD") {
      res.writeHead(this.status, { "content-type": "application/json" }).end();
      return;
    }
    sendJson(res, this.status, wrong ? wrongValues(this.body) : this.body);
  }

  private answerRpc(res: ServerResponse, text: string, wrong: boolean): void {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      sendJson(res, 200, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    const { id = null, method } = (typeof request === "object" && request !== null ? request : {}) as {
      id?: unknown;
      method?: unknown;
    };
    const rpc = this.rpc ?? {};
    if (typeof method !== "string" || !Object.hasOwn(rpc, method)) {
      sendJson(res, 200, { jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } });
      return;
    }
    const result = rpc[method];
    sendJson(res, 200, { jsonrpc: "2.0", id, result: wrong ? wrongValues(result) : result });
  }
}

function parseJsonFault(body: unknown): JsonFaultSpec {
  return parseMemberFault(body, JSON_FAULTS, {
    delayMs: "whole>=0",
    userAgentContains: "text",
  }) as JsonFaultSpec;
}

/** Same shape, other values: strings "wrong", numbers 0, booleans flipped, lists empty. */
export function wrongValues(value: unknown): unknown {
  if (typeof value === "string") return "wrong";
  if (typeof value === "number") return 0;
  if (typeof value === "boolean") return !value;
  if (Array.isArray(value)) return [];
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrongValues(v)]));
  }
  return value;
}
