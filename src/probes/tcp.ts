import type { CheckOf } from "../core/kinds/index.ts";
import type { Probe } from "./contract.ts";
import { okResult } from "./outcome.ts";

/**
 * TCP connect (Casper P2P 35000, Chia 8444, any port): ok once the connection opens within the
 * deadline; nothing is sent or read, and the socket is closed right away. Latency = time to open.
 * The socket comes from the platform (Worker or agent). Production Workers cannot reach private
 * or loopback addresses; tests can.
 */
export const tcpProbe: Probe<CheckOf<"tcp">> = async (check, run) => {
  run.deadline.enter("connect");
  const connection = await run.platform.connectTcp(check.host, check.port, run.deadline.signal);
  run.deadline.done();
  const latencyMs = run.deadline.elapsed();
  connection.close();
  return okResult(latencyMs);
};
