import { createServer, type Server, type Socket } from "node:net";
import type { SimNodeContext } from "./node-context.ts";

/** A real node drops a peer that has not finished its TLS handshake in about this long. */
const HANDSHAKE_TIMEOUT_MS = 20_000;

/**
 * The P2P port (35000) as far as a TCP check can tell: it accepts connections, waits silently
 * for a TLS ClientHello it will never get, and drops the peer when anything else arrives or the
 * handshake times out. There is no User-Agent on this port, so per-User-Agent faults leave it
 * healthy; `hung` keeps connections open forever and `garbage` answers with non-TLS bytes.
 */
export function createP2pServer(node: SimNodeContext): Server {
  return createServer((socket: Socket) => {
    socket.once("close", node.counters.begin("p2p"));
    socket.on("error", () => {
      // A peer resetting the connection is normal traffic, not a simulator failure.
    });
    const fault = node.scopeFor(undefined).fault.fault;
    if (fault === "hung") return;
    if (fault === "reset") {
      socket.resetAndDestroy();
      return;
    }
    if (fault === "garbage") {
      socket.end("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy());
    socket.once("data", () => socket.destroy());
  });
}
