import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { sendDrip, sendGarbagePage, sendHugeBody } from "./fault-responses.ts";
import { delayMsOf, hugeBytesOf } from "./faults.ts";
import type { RequestScope, SimNodeContext } from "./node-context.ts";
import type { SidecarPortKind } from "./node-stats.ts";
import type { FaultSpec } from "./types.ts";

export type HttpPortKind = "rest" | "rpc" | "sse" | SidecarPortKind;
export type ScopedHandler = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => void;
/** Which of a request's fault the port itself applies (the handler still sees the request's scope). */
export type PortFault = (fault: FaultSpec) => FaultSpec;

const SSE_PORTS = new Set<HttpPortKind>(["sse", "sidecarSse"]);

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
  portFault: PortFault = (fault) => fault,
): Server {
  const streams = SSE_PORTS.has(port);
  const dispatch = (req: IncomingMessage, res: ServerResponse, scope: RequestScope, delayed: boolean) => {
    const fault = portFault(scope.fault);
    switch (fault.fault) {
      case "refusing":
        // Only a per-User-Agent refusal gets here (a node-wide one closes the listener): the
        // nearest a server can come to refusing one client is resetting its connection.
        req.socket.destroy();
        return;
      case "hung":
        req.resume();
        return;
      case "reset":
        req.socket.resetAndDestroy();
        return;
      case "drip":
        if (!streams) {
          req.resume();
          sendDrip(res, delayMsOf(fault), node.timers);
          return;
        }
        break;
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
        if (!streams) {
          req.resume();
          sendGarbagePage(res);
          return;
        }
        break;
      case "huge":
        if (!streams) {
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
