import { connect } from "cloudflare:sockets";
import type { Platform } from "../probes/contract.ts";
import { abortable } from "../probes/deadline.ts";

/** Probing from workerd: TCP through `cloudflare:sockets`. */
export const workerPlatform: Platform = {
  async connectTcp(host, port, signal) {
    const socket = connect({ hostname: host, port }, { allowHalfOpen: false });
    // `closed` rejects too when `opened` does; handle it so it is never an unhandled rejection.
    socket.closed.catch(() => {});
    // Fire and forget: close() waits for the peer, and a hung peer must not hold the probe.
    const close = () => {
      socket.close().catch(() => {});
    };
    try {
      await abortable(socket.opened, signal);
    } catch (err) {
      close();
      throw err;
    }
    return { close };
  },
};
