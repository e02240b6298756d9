import { parseCasperBlockResult } from "../core/chains/casper/block.ts";
import { casperStatusFacts, parseCasperStatus } from "../core/chains/casper/status.ts";
import type { CheckOf } from "../core/kinds/index.ts";
import type { Probe } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { jsonRpcCall } from "./json-rpc.ts";
import { okResult } from "./outcome.ts";

/**
 * JSON-RPC `info_get_status`, then `chain_get_block` (latest) for the freshest height and block
 * time. Both calls share one deadline. Latency is the first call's time to headers, comparable
 * with the REST probe's.
 */
export const casperRpcProbe: Probe<CheckOf<"casper-rpc">> = async (check, run) => {
  const { options, deadline } = run;
  const status = await jsonRpcCall(check, "info_get_status", options, deadline);
  run.latencyMs = status.latencyMs;
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
  return okResult(status.latencyMs, facts);
};
