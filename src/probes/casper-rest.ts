import { casperStatusFacts, parseCasperStatus } from "../core/chains/casper/status.ts";
import { boundedFetch } from "./bounded-fetch.ts";
import type { Probe } from "./contract.ts";
import { startDeadline } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";
import { failedResult, okResult } from "./outcome.ts";
import { targetOf } from "./target.ts";

/** GET the node's REST `/status` (port 8888) and turn it into chain facts. */
export const casperRestProbe: Probe<"casper-rest"> = async (check, options, signal) => {
  const deadline = startDeadline(options.timeoutMs, signal);
  const ctx = { deadline, ...targetOf(check) };
  let latencyMs: number | undefined;
  try {
    const res = await boundedFetch(
      check.url,
      { headers: { accept: "application/json" }, maxBodyBytes: check.maxBodyBytes },
      options,
      deadline,
    );
    latencyMs = res.latencyMs;
    const status = parseCasperStatus(await res.json());
    if (!status.ok) throw new ProbeFailure("protocol", `not a Casper status: ${status.problem}`);
    return okResult(latencyMs, casperStatusFacts(status.value));
  } catch (err) {
    return failedResult(err, ctx, latencyMs);
  } finally {
    deadline.dispose();
  }
};
