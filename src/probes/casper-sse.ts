import type { CheckOf } from "../core/kinds/index.ts";
import type { ChainFacts } from "../core/result.ts";
import { awaitBlockAdded, CasperEventStream, EXPIRED, versionOf } from "./casper-events.ts";
import type { Probe } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { okResult } from "./outcome.ts";

/**
 * Subscribes to the node's event stream (`/events/main` on 1.x, `/events` on 2.x). The stream
 * works when `ApiVersion` comes first within `apiVersionWithinMs`; a `BlockAdded` within
 * `blockWithinMs` (both counted from the probe's start) proves the chain moves. If none comes the
 * probe is still ok with `blockSeen: false`, which the evaluator turns into degraded. The stream
 * is cancelled as soon as the answer is known.
 */
export const casperSseProbe: Probe<CheckOf<"casper-sse">> = async (check, run) => {
  const stream = new CasperEventStream(run, check);
  const noApiVersion = () =>
    new ProbeFailure("timeout", `no ApiVersion within ${check.apiVersionWithinMs} ms`);
  await stream.open(check.url, check.apiVersionWithinMs, noApiVersion);
  const first = await stream.next(check.apiVersionWithinMs);
  if (first === EXPIRED) throw noApiVersion();
  if (first === null) throw new ProbeFailure("protocol", "stream ended before ApiVersion");
  const version = versionOf(first, "ApiVersion");
  const block = await awaitBlockAdded(stream, check.blockWithinMs, 1);
  const facts: ChainFacts = { version, ...block };
  return okResult(stream.latencyMs ?? run.deadline.elapsed(), facts);
};
