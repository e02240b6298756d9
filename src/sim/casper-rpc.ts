import type { IncomingMessage, ServerResponse } from "node:http";
import {
  apiVersionOf,
  buildAuctionState,
  buildGetBlockResult,
  buildStatus,
  peerList,
} from "./casper-payloads.ts";
import { sendJson, sendText } from "./http-port.ts";
import type { RequestScope, SimNodeContext } from "./node-context.ts";

/** rpc_server.max_body_bytes default of casper-node 1.5 (config-example.toml). */
export const MAX_BODY_BYTES = 2_621_440;

type Json = Record<string, unknown>;

interface RpcError {
  code: number;
  message: string;
  data?: string;
}

/** A JSON-RPC answer: always HTTP 200, a result or an error object. */
type RpcOutcome = { result: unknown } | { error: RpcError };

/** An answer at the HTTP level only: `{"message": ...}` with a 4xx status, no JSON-RPC envelope. */
interface Rejection {
  status: number;
  message: string;
}

/** What the node sends back for one request body. */
type Answer = { rejection: Rejection } | { id: unknown; outcome: RpcOutcome; method?: string };

const tooLarge: Rejection = {
  status: 413,
  message: `The request payload exceeds the maximum allowed of ${MAX_BODY_BYTES} bytes`,
};

/**
 * The JSON-RPC port (7777, `POST /rpc`) with casper-json-rpc's rules: HTTP-level rejections as
 * `{"message": ...}` with 404/405/400/415/413, everything else HTTP 200 with a JSON-RPC result or
 * error (texts from json_rpc/src/{filters,rejections,request,request/params}.rs).
 */
export function rpcHandler(node: SimNodeContext) {
  return (req: IncomingMessage, res: ServerResponse, scope: RequestScope): void => {
    const rejection = rejectBeforeBody(req);
    if (rejection !== undefined) {
      req.resume();
      sendJson(res, rejection.status, { message: rejection.message });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (res.destroyed) return;
      const answer: Answer =
        size > MAX_BODY_BYTES
          ? { rejection: tooLarge }
          : answerBody(node, scope, Buffer.concat(chunks).toString("utf8"));
      if ("rejection" in answer)
        sendJson(res, answer.rejection.status, { message: answer.rejection.message });
      else {
        const text = JSON.stringify({ jsonrpc: "2.0", id: answer.id, ...answer.outcome });
        node.counters.rpcCall(answer.method ?? "(invalid)", Buffer.byteLength(text));
        sendText(res, 200, text, "application/json");
      }
    });
  };
}

/** The warp filters that run before the body is read: path, method, content type, declared size. */
function rejectBeforeBody(req: IncomingMessage): Rejection | undefined {
  if (new URL(req.url ?? "/", "http://sim").pathname !== "/rpc")
    return { status: 404, message: "Path not found" };
  if (req.method !== "POST") return { status: 405, message: "HTTP method not allowed" };
  const contentType = req.headers["content-type"];
  if (contentType === undefined) return { status: 400, message: "The request's content-type is not set" };
  // An exact, case-insensitive match: "application/json; charset=utf-8" is refused too.
  if (contentType.toLowerCase() !== "application/json") {
    return { status: 415, message: "The request's content-type is not supported" };
  }
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return tooLarge;
  return undefined;
}

function answerBody(node: SimNodeContext, scope: RequestScope, body: string): Answer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return {
      id: null,
      outcome: { error: { code: -32700, message: "Parse error", data: (error as Error).message } },
    };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    const data = `invalid type: ${Array.isArray(parsed) ? "sequence" : typeof parsed}, expected a map`;
    return { id: null, outcome: { error: { code: -32700, message: "Parse error", data } } };
  }
  const request = parsed as Json;
  const invalid = (data: string, id: unknown = request.id ?? null): Answer => ({
    id,
    outcome: { error: { code: -32600, message: "Invalid Request", data } },
  });

  if (request.jsonrpc === undefined) return invalid("Missing 'jsonrpc' field");
  if (request.jsonrpc !== "2.0") {
    return invalid(`Expected 'jsonrpc' to be '2.0', but got '${String(request.jsonrpc)}'`);
  }
  if (request.method === undefined) return invalid("Missing 'method' field");
  if (typeof request.method !== "string") return invalid("Expected 'method' to be a String");
  const paramsProblem = describeBadParams(request.params);
  if (paramsProblem !== undefined) return invalid(paramsProblem);
  if (!("id" in request)) {
    // JSON-RPC notifications have no id; the node refuses them at the HTTP level.
    return { rejection: { status: 400, message: "The request is missing the 'id' field" } };
  }
  const id = request.id;
  if (typeof id === "number" && !Number.isInteger(id)) {
    return invalid("'id' must not contain fractional parts if it is a number", null);
  }
  if (id !== null && typeof id !== "string" && typeof id !== "number") {
    return invalid("'id' should be a string or integer", null);
  }
  if (scope.fault.fault === "rpc-error") {
    // What a node whose storage or binary port just failed answers, over a perfectly good HTTP 200.
    return {
      id,
      outcome: { error: { code: -32603, message: "Internal error", data: "simulated node failure" } },
    };
  }
  return { id, method: request.method, outcome: callMethod(node, scope, request.method, request.params) };
}

function describeBadParams(params: unknown): string | undefined {
  const prefix = "If present, 'params' must be an Array or Object, but was";
  if (params === undefined || typeof params === "object") {
    if (params !== null) return undefined;
    return `${prefix} 'null'. If not required for this request, omit the field or provide an empty Array '[]' or empty Object '{}'`;
  }
  if (typeof params === "boolean") return `${prefix} '${params}'`;
  if (typeof params === "number") return `${prefix} a Number`;
  return `${prefix} a String`;
}

function callMethod(node: SimNodeContext, scope: RequestScope, method: string, params: unknown): RpcOutcome {
  const api_version = apiVersionOf(node.version);
  switch (method) {
    case "info_get_status":
      return { result: buildStatus(node, scope, true) };
    case "info_get_peers":
      return { result: { api_version, peers: peerList(node) } };
    case "chain_get_block": {
      const height = requestedHeight(node, scope, params);
      if ("error" in height) return height;
      return { result: buildGetBlockResult(node, height.height) };
    }
    case "chain_get_state_root_hash": {
      const height = requestedHeight(node, scope, params);
      if ("error" in height) return height;
      return { result: { api_version, state_root_hash: node.chain.stateRootHash(height.height) } };
    }
    case "info_get_validator_changes":
      return { result: { api_version, changes: node.validators.changes(scope.block.height) } };
    case "state_get_auction_info":
      return { result: { api_version, auction_state: buildAuctionState(node, scope, false) } };
    case "state_get_auction_info_v2":
      if (node.version === "2.0")
        return { result: { api_version, auction_state: buildAuctionState(node, scope, true) } };
      return methodNotFound(method);
    default:
      return methodNotFound(method);
  }
}

function methodNotFound(method: string): RpcOutcome {
  switch (method) {
    default:
      return {
        error: {
          code: -32601,
          message: "Method not found",
          data: `'${method}' is not a supported json-rpc method on this server`,
        },
      };
  }
}

/** The optional `block_identifier` ({"Height": n} or {"Hash": hex}, by name or position); absent = latest. */
function requestedHeight(
  node: SimNodeContext,
  scope: RequestScope,
  params: unknown,
): { height: number } | { error: RpcError } {
  const latest = scope.block.height;
  const identifier = Array.isArray(params) ? params[0] : (params as Json | undefined)?.block_identifier;
  if (identifier === undefined || identifier === null) return { height: latest };
  const invalidParams = (why: string) => ({
    error: { code: -32602, message: "Invalid params", data: `Failed to parse 'params' field: ${why}` },
  });
  if (typeof identifier !== "object") return invalidParams("expected a block identifier");
  const { Height, Hash } = identifier as Json;
  let height: number | undefined;
  if (typeof Height === "number" && Number.isSafeInteger(Height) && Height >= 0) height = Height;
  else if (typeof Hash === "string" && /^[0-9a-fA-F]{64}$/.test(Hash)) {
    height = node.chain.findHeightByHash(Hash, latest);
  } else return invalidParams("unknown variant, expected `Hash` or `Height`");
  if (height === undefined || height > latest) return { error: { code: -32001, message: "No such block" } };
  return { height };
}
