import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { sendGarbagePage } from "../fault-responses.ts";
import { DEFAULT_DELAY_MS, type MemberFault, type SimMember } from "./member.ts";

export type MemberHandler<F> = (req: IncomingMessage, res: ServerResponse, fault: F) => void;

/**
 * An HTTP port of a member with the faults every HTTP endpoint fails by the same way: a reset for
 * a per-User-Agent `refusing`, `hung` (read, never answer), `slow` (answer `delayMs` late, under
 * the fault in force by then) and `garbage` (an nginx 502 page with status 200). Other faults reach
 * the handler, which knows what they mean for its protocol.
 */
export function createMemberHttpServer<F extends MemberFault, P extends string>(
  member: SimMember<F, P, unknown>,
  port: P,
  handler: MemberHandler<F>,
  opts: { keepAlive: boolean } = { keepAlive: true },
): Server {
  const dispatch = (req: IncomingMessage, res: ServerResponse, fault: F, delayed: boolean) => {
    switch (fault.fault) {
      case "refusing":
        req.socket.destroy();
        return;
      case "hung":
        req.resume();
        return;
      case "slow":
        if (!delayed) {
          const timer = member.timers.after(fault.delayMs ?? DEFAULT_DELAY_MS, () => {
            if (!res.destroyed) dispatch(req, res, member.faultFor(req.headers["user-agent"]), true);
          });
          res.once("close", () => member.timers.cancel(timer));
          return;
        }
        break;
      case "garbage":
        req.resume();
        sendGarbagePage(res);
        return;
    }
    handler(req, res, fault);
  };

  return createServer((req, res) => {
    const userAgent = req.headers["user-agent"];
    res.once("close", member.counters.begin(port, userAgent));
    if (!opts.keepAlive) res.shouldKeepAlive = false;
    dispatch(req, res, member.faultFor(userAgent), false);
  });
}

const MAX_REQUEST_BYTES = 64 * 1024;

/** Reads a request body as text, at most 64 KiB (more is cut off: the simulator is no data sink). */
export async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) {
    if (text.length < MAX_REQUEST_BYTES) text += chunk;
  }
  return text.slice(0, MAX_REQUEST_BYTES);
}
