import { connect } from "cloudflare:sockets";
import type { Probe } from "./contract.ts";
import { abortable, startDeadline } from "./deadline.ts";
import { failedResult, okResult } from "./outcome.ts";
import { targetOf } from "./target.ts";

/**
 * TCP connect (Casper P2P 35000, Chia 8444, any port): ok once the connection opens within the
 * deadline; nothing is sent or read, and the socket is closed right away. Latency = time to open.
 * Production Workers cannot reach private or loopback addresses; tests can.
 */
export const tcpProbe: Probe<"tcp"> = async (check, options, signal) => {
  const deadline = startDeadline(options.timeoutMs, signal);
  const ctx = { deadline, ...targetOf(check) };
  let socket: Socket | undefined;
  try {
    socket = connect({ hostname: check.host, port: check.port }, { allowHalfOpen: false });
    // `closed` rejects too when `opened` does; handle it so it is never an unhandled rejection.
    socket.closed.catch(() => {});
    await abortable(socket.opened, deadline.signal);
    return okResult(deadline.elapsed());
  } catch (err) {
    return failedResult(err, ctx);
  } finally {
    // Fire and forget: close() waits for the peer, and a hung peer must not hold the probe.
    socket?.close().catch(() => {});
    deadline.dispose();
  }
};
