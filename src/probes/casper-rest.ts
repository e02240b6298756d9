import { casperStatusFacts, parseCasperStatus } from "../core/chains/casper/status.ts";
import type { CheckOf } from "../core/kinds/index.ts";
import { boundedFetch } from "./bounded-fetch.ts";
import type { Probe } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { okResult } from "./outcome.ts";

/** GET the node's REST `/status` (port 8888) and turn it into chain facts. */
export const casperRestProbe: Probe<CheckOf<"casper-rest">> = async (check, run) => {
  const res = await boundedFetch(
    check.url,
    { headers: { accept: "application/json" }, maxBodyBytes: check.maxBodyBytes },
    run.options,
    run.deadline,
  );
  run.latencyMs = res.latencyMs;
  const status = parseCasperStatus(await res.json());
  if (!status.ok) throw new ProbeFailure("protocol", `not a Casper status: ${status.problem}`);
  return okResult(res.latencyMs, casperStatusFacts(status.value));
};
