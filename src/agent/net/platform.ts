import type { Platform } from "../../probes/contract.ts";
import { connectTcp } from "./connect.ts";

/** Probing from the agent's host: TCP through `node:net`. */
export const nodePlatform: Platform = {
  async connectTcp(host, port, signal) {
    try {
      const socket = await connectTcp(host, port, signal);
      return { close: () => socket.destroy() };
    } catch (err) {
      // A reset (not a refusal) while connecting means the handshake completed and the server
      // dropped us at once: the port is open, which is all a connect check asks.
      if ((err as NodeJS.ErrnoException).code === "ECONNRESET") return { close: () => {} };
      throw err;
    }
  },
};
