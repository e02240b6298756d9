import { describe, expect, it } from "vitest";
import { startDeadline } from "../../src/probes/deadline.ts";
import { ProbeFailure } from "../../src/probes/failure.ts";
import { readJsonMember } from "../../src/probes/json-member-stream.ts";

/** A body sent in 4 KiB chunks, recording how many were pulled and whether it was cancelled. */
function chunked(text: string) {
  const bytes = new TextEncoder().encode(text);
  const seen = { pulled: 0, cancelled: false };
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 4096));
      at += 4096;
      seen.pulled++;
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen, total: bytes.length };
}

const path = ["result", "auction_state", "era_validators"];
const eraValidators = [
  { era_id: 7, validator_weights: [{ public_key: "01ab", weight: "10" }] },
  {
    era_id: 8,
    validator_weights: [
      { public_key: "01ab", weight: "11" },
      { public_key: "02cd", weight: "5" },
    ],
  },
];
const bids = Array.from({ length: 20_000 }, (_, i) => ({
  public_key: `01${i}`,
  bid: { staked_amount: "1", delegators: [{ public_key: "01x", note: 'quote " and ] bracket {' }] },
}));
const deadline = () => startDeadline(5000, new AbortController().signal);

describe("readJsonMember", () => {
  it("parses the member and stops reading: era_validators before megabytes of bids", async () => {
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      result: {
        api_version: "2.0.0",
        auction_state: { state_root_hash: "00", block_height: 9, era_validators: eraValidators, bids },
      },
    });
    const { stream, seen, total } = chunked(body);
    const { value, bytesRead } = await readJsonMember(stream, path, 64 * 1024 * 1024, deadline());
    expect(value).toEqual(eraValidators);
    expect(total).toBeGreaterThan(2_000_000);
    expect(bytesRead).toBeLessThanOrEqual(4096);
    expect(seen.cancelled).toBe(true);
  });

  it("finds it after the bids too (key order is not promised), skipping look-alikes inside strings", async () => {
    const body = JSON.stringify({
      result: {
        auction_state: {
          bids: bids.slice(0, 50),
          note: '"era_validators": [1]',
          era_validators: eraValidators,
        },
      },
    });
    const { stream } = chunked(body);
    expect((await readJsonMember(stream, path, 1_000_000, deadline())).value).toEqual(eraValidators);
  });

  it("is bounded: too_large past maxBytes, bad_body when the member is missing", async () => {
    const big = chunked(
      JSON.stringify({ result: { auction_state: { bids, era_validators: eraValidators } } }),
    );
    await expect(readJsonMember(big.stream, path, 100_000, deadline())).rejects.toMatchObject({
      kind: "too_large",
    });
    expect(big.seen.pulled).toBeLessThanOrEqual(26);
    const none = chunked(JSON.stringify({ result: { auction_state: { bids: [] } } }));
    const err = await readJsonMember(none.stream, path, 100_000, deadline()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeFailure);
    expect((err as ProbeFailure).kind).toBe("bad_body");
  });
});
