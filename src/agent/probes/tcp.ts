import { startDeadline } from "../../probes/deadline.ts";
import { failedResult, okResult } from "../../probes/outcome.ts";
import { connectTcp } from "../net/connect.ts";
import { type AgentProbe, hostTarget } from "./contract.ts";

/** The Worker's `tcp` kind from the agent's host (private ports such as Chia's 8444 behind a firewall). */
export const tcpProbe: AgentProbe<{ kind: "tcp"; host: string; port: number }> = async (
  check,
  options,
  signal,
) => {
  const deadline = startDeadline(options.timeoutMs, signal);
  const ctx = { deadline, ...hostTarget(check.host, false) };
  try {
    const socket = await connectTcp(check.host, check.port, deadline.signal);
    const latencyMs = deadline.elapsed();
    socket.destroy();
    return okResult(latencyMs);
  } catch (err) {
    return failedResult(err, ctx);
  } finally {
    deadline.dispose();
  }
};
