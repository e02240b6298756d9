import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { sendGarbagePage, sendHugeBody } from "./fault-responses.ts";
import { delayMsOf, hugeBytesOf } from "./faults.ts";
import type { RequestScope, SimNodeContext } from "./node-context.ts";

export type HttpPortKind = "rest" | "rpc" | "sse";
export type ScopedHandler = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => void;

/**
 * One of the node's HTTP ports. The faults that look the same on every HTTP port (reset, hang,
 * delay, proxy error page, huge body) are applied here; the port's handler sees only requests
 * it must answer, with the chain as the request's fault shows it. The SSE port draws garbage and
 * huge as a stream, so those two reach its handler.
 */
export function createFaultyHttpServer(
  node: SimNodeContext,
  port: HttpPortKind,
  handler: ScopedHandler,
): Server {
  const dispatch = (req: IncomingMessage, res: ServerResponse, scope: RequestScope, delayed: boolean) => {
    const { fault } = scope;
    switch (fault.fault) {
      case "refusing":
        // Only a per-User-Agent refusal gets here (a node-wide one closes the listener): the
        // nearest a server can come to refusing one client is resetting its connection.
        req.socket.destroy();
        return;
      case "hung":
        req.resume();
        return;
      case "slow":
        if (!delayed) {
          const timer = node.timers.after(delayMsOf(fault), () => {
            if (!res.destroyed) dispatch(req, res, node.scopeFor(req.headers["user-agent"]), true);
          });
          res.once("close", () => node.timers.cancel(timer));
          return;
        }
        break;
      case "garbage":
        if (port !== "sse") {
          req.resume();
          sendGarbagePage(res);
          return;
        }
        break;
      case "huge":
        if (port !== "sse") {
          req.resume();
          sendHugeBody(res, hugeBytesOf(fault));
          return;
        }
        break;
    }
    handler(req, res, scope);
  };

  return createServer((req, res) => {
    const userAgent = req.headers["user-agent"];
    res.once("close", node.counters.begin(port, userAgent));
    dispatch(req, res, node.scopeFor(userAgent), false);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain",
): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
