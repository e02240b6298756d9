import type { ChainFacts } from "../core/result.ts";
import { awaitBlockAdded, CasperEventStream, EXPIRED, versionOf } from "./casper-events.ts";
import type { Probe } from "./contract.ts";
import { startDeadline } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";
import { failedResult, okResult } from "./outcome.ts";
import { targetOf } from "./target.ts";

/**
 * Subscribes to the node's event stream (`/events/main` on 1.x, `/events` on 2.x). The stream
 * works when `ApiVersion` comes first within `apiVersionWithinMs`; a `BlockAdded` within
 * `blockWithinMs` (both counted from the probe's start) proves the chain moves. If none comes the
 * probe is still ok with `blockSeen: false`, which the evaluator turns into degraded. The stream
 * is cancelled as soon as the answer is known.
 */
export const casperSseProbe: Probe<"casper-sse"> = async (check, options, signal) => {
  const deadline = startDeadline(options.timeoutMs, signal);
  const ctx = { deadline, ...targetOf(check) };
  const stream = new CasperEventStream(options, deadline, check);
  const noApiVersion = () =>
    new ProbeFailure("timeout", `no ApiVersion within ${check.apiVersionWithinMs} ms`);

  try {
    await stream.open(check.url, check.apiVersionWithinMs, noApiVersion);
    const first = await stream.next(check.apiVersionWithinMs);
    if (first === EXPIRED) throw noApiVersion();
    if (first === null) throw new ProbeFailure("protocol", "stream ended before ApiVersion");
    const version = versionOf(first, "ApiVersion");
    const block = await awaitBlockAdded(stream, check.blockWithinMs, 1);
    const facts: ChainFacts = { version, ...block };
    return okResult(stream.latencyMs ?? deadline.elapsed(), facts);
  } catch (err) {
    return failedResult(err, ctx, stream.latencyMs);
  } finally {
    stream.cancel();
    deadline.dispose();
  }
};
