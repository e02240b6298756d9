import type { Platform } from "../../probes/contract.ts";
import { connectTcp } from "./connect.ts";

/** Probing from the agent's host: TCP through `node:net`. */
export const nodePlatform: Platform = {
  async connectTcp(host, port, signal) {
    const socket = await connectTcp(host, port, signal);
    return { close: () => socket.destroy() };
  },
};
