import { z } from "zod";
import { type BlockProposal, parseCasperBlockProposal } from "../core/chains/casper/block.ts";
import { parseCasperStatus } from "../core/chains/casper/status.ts";
import { parseWith } from "../core/chains/parsed.ts";
import type { CheckOf } from "../core/kinds/index.ts";
import type { CasperValidatorFacts, EraTally } from "../core/validators/facts.ts";
import { boundedFetch } from "./bounded-fetch.ts";
import type { Probe, ProbeRun } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { readJsonMember } from "./json-member-stream.ts";
import { jsonRpcCall } from "./json-rpc.ts";
import { okResult } from "./outcome.ts";
import { BoundedMemo } from "./validator-memory.ts";

type Check = CheckOf<"casper-validator">;

/** Era → validator key → weight (motes), for the current and next era. */
type EraWeights = Map<number, Map<string, bigint>>;

const SMALL_ANSWER_BYTES = 1_048_576;
const AUCTION_PATH = ["result", "auction_state", "era_validators"] as const;

/** The auction is fetched once per era and endpoint, not per probe. */
const auctions = new BoundedMemo<{ era: number; at: number; weights: EraWeights }>(64);

interface Tally extends EraTally {
  /** The next height to read. */
  next: number;
  share: number;
}
/** Per key and endpoint: this era's tally so far and the last era's. */
const tallies = new BoundedMemo<{ current: Tally; last?: EraTally }>(256);

const EraValidatorsSchema = z.array(
  z.object({
    era_id: z.number().int().nonnegative(),
    validator_weights: z.array(z.object({ public_key: z.string(), weight: z.string().regex(/^\d+$/) })),
  }),
);

const ChangesSchema = z.object({
  changes: z.array(
    z.object({
      public_key: z.string(),
      status_changes: z.array(z.object({ era_id: z.number().int(), validator_change: z.string() })),
    }),
  ),
});

/** Worse first, when two endpoints report changes in the same era. */
const CHANGE_RANK = ["Banned", "SeenAsFaulty", "CannotPropose", "Removed", "Added"];

/**
 * A Casper validator key as the network sees it (check kind `casper-validator`): the latest block
 * from the first configured endpoint that answers, the era's validator set from its auction
 * (streamed, read only up to era_validators, once per era), the key's validator changes from every
 * endpoint (so one node's view is checked against the others'), the operator's node /status, and
 * the proposers of the blocks since the last probe (at most `maxBlocksPerProbe`).
 */
export const casperValidatorProbe: Probe<Check> = async (check, run) => {
  const key = check.publicKey;
  const { url, head, latencyMs } = await firstAnswering(check, run);
  run.latencyMs = latencyMs;

  const weights = await eraWeights(check, url, head.era, run);
  const current = weights.get(head.era) ?? new Map<string, bigint>();
  const next = weights.get(head.era + 1);
  const total = [...current.values()].reduce((a, b) => a + b, 0n);
  const own = current.get(key);
  const share = own !== undefined && total > 0n ? Number((own * 1_000_000n) / total) / 1_000_000 : 0;

  const [changes, node, faults] = await Promise.all([
    latestChange(check, run),
    nodeView(check, run),
    faultEvents(check, run),
  ]);
  const tally = await countProposals(check, url, head, share, run);

  const facts: CasperValidatorFacts = {
    chain: "casper",
    key,
    era: head.era,
    inEra: own !== undefined,
    // An auction without the next era (a node that lists only the current one) proves no eviction.
    inNextEra: next === undefined || next.has(key),
    ...(own !== undefined ? { weight: own.toString(), share } : {}),
    ...(changes.latest ? { change: changes.latest } : {}),
    ...(node ? { node } : {}),
    ...faults,
    proposals: strip(tally.current),
    ...(tally.last ? { lastEra: tally.last } : {}),
    sources: { answered: changes.answered, asked: check.rpc.length },
  };
  return okResult(latencyMs, { height: head.height, validator: facts });
};

const strip = ({ era, blocks, proposed, expected }: EraTally): EraTally => ({
  era,
  blocks,
  proposed,
  expected: Math.round(expected * 100) / 100,
});

async function getBlock(url: string, run: ProbeRun, height?: number) {
  const params = height === undefined ? undefined : [{ Height: height }];
  const answer = await jsonRpcCall(
    { url, maxBodyBytes: SMALL_ANSWER_BYTES },
    "chain_get_block",
    run.options,
    run.deadline,
    params,
  );
  const block = parseCasperBlockProposal(answer.result);
  if (!block.ok) throw new ProbeFailure("protocol", `chain_get_block: ${block.problem}`);
  return { block: block.value, latencyMs: answer.latencyMs };
}

/** The latest block from the first endpoint that gives one; all failing is the first one's failure. */
async function firstAnswering(check: Check, run: ProbeRun) {
  let first: unknown;
  for (const url of check.rpc) {
    try {
      const { block, latencyMs } = await getBlock(url, run);
      return { url, head: block, latencyMs };
    } catch (err) {
      first ??= err;
      if (run.deadline.signal.aborted) break;
    }
  }
  throw first;
}

async function eraWeights(check: Check, url: string, era: number, run: ProbeRun): Promise<EraWeights> {
  const cached = auctions.get(url);
  if (cached?.era === era && Date.now() - cached.at < check.auctionMaxAgeSec * 1000) return cached.weights;
  const res = await boundedFetch(
    url,
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "state_get_auction_info" }),
      maxBodyBytes: check.maxAuctionBytes,
    },
    run.options,
    run.deadline,
  );
  if (!res.body) throw new ProbeFailure("bad_body", "state_get_auction_info: empty answer");
  const { value } = await readJsonMember(res.body, AUCTION_PATH, check.maxAuctionBytes, run.deadline);
  const parsed = parseWith(EraValidatorsSchema, value);
  if (!parsed.ok)
    throw new ProbeFailure("protocol", `state_get_auction_info era_validators: ${parsed.problem}`);
  const weights: EraWeights = new Map(
    parsed.value.map((e) => [
      e.era_id,
      new Map(e.validator_weights.map((w) => [w.public_key.toLowerCase(), BigInt(w.weight)])),
    ]),
  );
  auctions.set(url, { era, at: Date.now(), weights });
  return weights;
}

/** The key's latest change as every endpoint reports it; the latest era wins, then the worst. */
async function latestChange(check: Check, run: ProbeRun) {
  const answers = await Promise.allSettled(
    check.rpc.map((url) =>
      jsonRpcCall(
        { url, maxBodyBytes: SMALL_ANSWER_BYTES },
        "info_get_validator_changes",
        run.options,
        run.deadline,
      ),
    ),
  );
  let latest: { era: number; status: string } | undefined;
  let answered = 0;
  for (const a of answers) {
    if (a.status !== "fulfilled") continue;
    const parsed = parseWith(ChangesSchema, a.value.result);
    if (!parsed.ok) continue;
    answered++;
    const mine = parsed.value.changes.find((c) => c.public_key.toLowerCase() === check.publicKey);
    for (const c of mine?.status_changes ?? []) {
      const worse =
        !latest ||
        c.era_id > latest.era ||
        (c.era_id === latest.era && rank(c.validator_change) < rank(latest.status));
      if (worse) latest = { era: c.era_id, status: c.validator_change.slice(0, 32) };
    }
  }
  return { latest, answered };
}

const rank = (status: string) => {
  const i = CHANGE_RANK.indexOf(status);
  return i < 0 ? CHANGE_RANK.length : i;
};

const FaultsSchema = z.array(
  z.object({ era_id: z.number().int().nonnegative(), public_key: z.string() }).loose(),
);

/**
 * The key's Fault events as an event sidecar stored them from the SSE stream (`/faults/<key>`;
 * 404 when it has none). Unreadable is said, not judged.
 */
async function faultEvents(
  check: Check,
  run: ProbeRun,
): Promise<Pick<CasperValidatorFacts, "faultEra" | "faultsError">> {
  if (!check.sidecarRestUrl) return {};
  try {
    const base = check.sidecarRestUrl.replace(/\/+$/, "");
    const res = await boundedFetch(
      `${base}/faults/${check.publicKey}`,
      {
        headers: { accept: "application/json" },
        maxBodyBytes: SMALL_ANSWER_BYTES,
        acceptStatus: (s) => (s >= 200 && s <= 299) || s === 404,
      },
      run.options,
      run.deadline,
    );
    if (res.status === 404) {
      res.cancel();
      return {};
    }
    const parsed = parseWith(FaultsSchema, await res.json());
    if (!parsed.ok) return { faultsError: `not a list of Fault events: ${parsed.problem}`.slice(0, 300) };
    const mine = parsed.value.filter((f) => f.public_key.toLowerCase() === check.publicKey);
    return mine.length === 0 ? {} : { faultEra: Math.max(...mine.map((f) => f.era_id)) };
  } catch (err) {
    return { faultsError: err instanceof Error ? err.message.slice(0, 300) : "unreadable" };
  }
}

/** The operator's node: which key it signs with, its round length; an unreadable node is said, not judged. */
async function nodeView(check: Check, run: ProbeRun): Promise<CasperValidatorFacts["node"]> {
  if (!check.nodeStatusUrl) return undefined;
  try {
    const res = await boundedFetch(
      check.nodeStatusUrl,
      { headers: { accept: "application/json" }, maxBodyBytes: SMALL_ANSWER_BYTES },
      run.options,
      run.deadline,
    );
    const raw = (await res.json()) as Record<string, unknown>;
    const status = parseCasperStatus(raw);
    if (!status.ok) return { error: `not a Casper status: ${status.problem}`.slice(0, 300) };
    const key = typeof raw.our_public_signing_key === "string" ? raw.our_public_signing_key : null;
    const round = typeof raw.round_length === "string" ? raw.round_length : null;
    return { key, roundLength: round };
  } catch (err) {
    return { error: err instanceof Error ? err.message.slice(0, 300) : "unreadable" };
  }
}

/**
 * Proposers of the blocks since the last probe, read forward (at most `maxBlocksPerProbe`, and
 * not past a third of the deadline left). Skipped blocks are simply not counted: the expectation
 * is computed over the blocks read, so a gap does not bias it.
 */
async function countProposals(check: Check, url: string, head: BlockProposal, share: number, run: ProbeRun) {
  const id = `${check.publicKey}|${url}`;
  const fresh = (era: number, next: number): Tally => ({
    era,
    blocks: 0,
    proposed: 0,
    expected: 0,
    next,
    share,
  });
  // A first probe reads the latest blocks, whichever era they belong to: a tally starts in the era
  // of the first block read (-1 until then), so a backfill across a switch fills the last era too.
  const memo = tallies.get(id) ?? { current: fresh(-1, head.height - check.maxBlocksPerProbe + 1) };
  let { current, last } = memo;
  const add = (b: BlockProposal) => {
    if (current.era < 0) current.era = b.era;
    if (b.era > current.era) {
      if (current.blocks > 0) last = strip(current);
      current = fresh(b.era, b.height);
    }
    if (b.era < current.era) return;
    current.share = share;
    current.blocks++;
    current.expected += share;
    if (b.proposer === check.publicKey) current.proposed++;
    current.next = b.height + 1;
  };
  const from = Math.max(current.next, head.height - check.maxBlocksPerProbe + 1);
  const budget = run.options.timeoutMs / 3;
  for (let h = from; h < head.height; h++) {
    if (run.options.timeoutMs - run.deadline.elapsed() < budget) break;
    try {
      add((await getBlock(url, run, h)).block);
    } catch {
      break; // the tally resumes here next time
    }
  }
  if (current.next <= head.height) add(head);
  tallies.set(id, { current, ...(last ? { last } : {}) });
  return { current, last };
}
