import { parseCasperBlockResult } from "../core/chains/casper/block.ts";
import { casperStatusFacts, parseCasperStatus } from "../core/chains/casper/status.ts";
import type { Probe } from "./contract.ts";
import { startDeadline } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";
import { jsonRpcCall } from "./json-rpc.ts";
import { failedResult, okResult } from "./outcome.ts";
import { targetOf } from "./target.ts";

/**
 * JSON-RPC `info_get_status`, then `chain_get_block` (latest) for the freshest height and block
 * time. Both calls share one deadline. Latency is the first call's time to headers, comparable
 * with the REST probe's.
 */
export const casperRpcProbe: Probe<"casper-rpc"> = async (check, options, signal) => {
  const deadline = startDeadline(options.timeoutMs, signal);
  const ctx = { deadline, ...targetOf(check) };
  let latencyMs: number | undefined;
  try {
    const status = await jsonRpcCall(check, "info_get_status", options, deadline);
    latencyMs = status.latencyMs;
    const parsed = parseCasperStatus(status.result);
    if (!parsed.ok)
      throw new ProbeFailure("protocol", `info_get_status: not a Casper status: ${parsed.problem}`);
    const facts = casperStatusFacts(parsed.value);

    // A node syncing from scratch has no block; asking for one would only earn a -32001 error.
    if (parsed.value.last_added_block_info) {
      const block = await jsonRpcCall(check, "chain_get_block", options, deadline);
      const point = parseCasperBlockResult(block.result);
      if (!point.ok) throw new ProbeFailure("protocol", `chain_get_block: ${point.problem}`);
      // The block call came second, so its view of the chain is at least as recent.
      facts.height = point.value.height;
      facts.lastBlockAt = point.value.timestamp;
    }
    return okResult(latencyMs, facts);
  } catch (err) {
    return failedResult(err, ctx, latencyMs);
  } finally {
    deadline.dispose();
  }
};
