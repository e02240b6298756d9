import { z } from "zod";
import { parseWith } from "../core/chains/parsed.ts";
import type { CheckOf } from "../core/kinds/index.ts";
import type { NanoRepresentativeFacts } from "../core/validators/facts.ts";
import { nanoAccountId } from "../core/validators/keys.ts";
import { isPrincipal } from "../core/validators/nano-judge.ts";
import type { Probe, ProbeRun } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { nanoCall } from "./nano-rpc.ts";
import { okResult } from "./outcome.ts";

type Check = CheckOf<"nano-representative">;
const raw = z.string().regex(/^\d{1,40}$/);
/** A list, or (asked with weight) an object keyed by account; boost writes an empty one as "". */
const OnlineSchema = z.object({
  representatives: z.union([z.array(z.string()), z.record(z.string(), z.unknown()), z.literal("")]),
});
const WeightSchema = z.object({ weight: raw });
const QuorumSchema = z.object({ online_stake_total: raw });

/**
 * A Nano representative as other nodes see it (kind `nano-representative`): every configured
 * endpoint is asked for `representatives_online` (so one node's view is checked against the
 * others'), the first that answers for `account_weight` and `confirmation_quorum`. An endpoint
 * that fails is left out; all failing is a failure (unknown, never down for the representative).
 */
export const nanoRepresentativeProbe: Probe<Check> = async (check, run) => {
  const account = nanoAccountId(check.account);
  const answers = await Promise.allSettled(check.rpc.map((url) => onlineAt(url, check, run)));
  const ok = answers.flatMap((a, i) =>
    a.status === "fulfilled" ? [{ url: check.rpc[i] ?? "", ...a.value }] : [],
  );
  const first = ok[0];
  if (!first) throw (answers[0] as PromiseRejectedResult).reason;
  run.latencyMs = first.latencyMs;

  const target = { url: first.url, maxBodyBytes: check.maxBodyBytes };
  const weight = await nanoCall(target, { action: "account_weight", account }, run.options, run.deadline);
  const w = parseWith(WeightSchema, weight.json);
  if (!w.ok) throw new ProbeFailure("protocol", `account_weight: ${w.problem}`);
  const quorum = await nanoCall(target, { action: "confirmation_quorum" }, run.options, run.deadline).catch(
    () => undefined,
  );
  const q = quorum ? parseWith(QuorumSchema, quorum.json) : undefined;
  const onlineStake = q?.ok ? q.value.online_stake_total : undefined;

  const seenBy = ok.filter((a) => a.online.has(account)).length;
  const facts: NanoRepresentativeFacts = {
    chain: "nano",
    account,
    online: seenBy > 0,
    seenBy,
    asked: ok.length,
    weight: w.value.weight,
    ...(onlineStake
      ? { onlineStake, principal: isPrincipal(BigInt(w.value.weight), BigInt(onlineStake)) }
      : {}),
  };
  return okResult(first.latencyMs, { validator: facts });
};

async function onlineAt(url: string, check: Check, run: ProbeRun) {
  const answer = await nanoCall(
    { url, maxBodyBytes: check.maxBodyBytes },
    { action: "representatives_online" },
    run.options,
    run.deadline,
  );
  const parsed = parseWith(OnlineSchema, answer.json);
  if (!parsed.ok) throw new ProbeFailure("protocol", `representatives_online: ${parsed.problem}`);
  const reps = parsed.value.representatives;
  const list = Array.isArray(reps) ? reps : reps === "" ? [] : Object.keys(reps);
  return { online: new Set(list.map(nanoAccountId)), latencyMs: answer.latencyMs };
}
