import { parseBlockAddedEvent } from "../core/chains/casper/block.ts";
import type { ChainFacts } from "../core/result.ts";
import { boundedFetch } from "./bounded-fetch.ts";
import type { Probe } from "./contract.ts";
import { abortable, startDeadline, withTimeout } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";
import { failedResult, okResult } from "./outcome.ts";
import { createSseReader, type SseEvent, type SseReader } from "./sse-reader.ts";
import { targetOf } from "./target.ts";

const EXPIRED = Symbol("window expired");
const WINDOW_MARGIN_MS = 50;
/** One line holds one event's JSON; a 2.x block listing many transactions is the largest we expect. */
const MAX_LINE = 4 * 1_048_576;

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
  let latencyMs: number | undefined;
  let sse: SseReader | undefined;
  const noApiVersion = () =>
    new ProbeFailure("timeout", `no ApiVersion within ${check.apiVersionWithinMs} ms`);
  const left = (windowMs: number) => windowMs - deadline.elapsed();
  // End the block window a little before the hard deadline, so "no block" (ok, degraded) wins
  // over "timeout" (down) when a monitor sets blockWithinMs equal to timeoutMs.
  const blockWindow = Math.min(check.blockWithinMs, options.timeoutMs - WINDOW_MARGIN_MS);

  try {
    const res = await withTimeout(
      boundedFetch(
        check.url,
        {
          headers: { accept: "text/event-stream", "cache-control": "no-cache" },
          maxBodyBytes: check.maxBytes,
        },
        options,
        deadline,
      ),
      left(check.apiVersionWithinMs),
      (): typeof EXPIRED => EXPIRED,
    );
    if (res === EXPIRED) throw noApiVersion();
    latencyMs = res.latencyMs;
    const type = res.headers.get("content-type") ?? "";
    if (!/^text\/event-stream\b/i.test(type) || !res.body) {
      res.cancel();
      throw new ProbeFailure("protocol", `not an event stream (content-type "${type.slice(0, 60)}")`);
    }
    const reader = createSseReader(res.body, {
      maxBytes: check.maxBytes,
      maxEvents: check.maxEvents,
      maxLineLength: Math.min(check.maxBytes, MAX_LINE),
    });
    sse = reader;
    // Each wait ends at its window, at the probe deadline, or at the caller's abort.
    const nextWithin = (windowMs: number) =>
      withTimeout(abortable(reader.next(), deadline.signal), left(windowMs), (): typeof EXPIRED => EXPIRED);

    const first = await nextWithin(check.apiVersionWithinMs);
    if (first === EXPIRED) throw noApiVersion();
    if (first === null) throw new ProbeFailure("protocol", "stream ended before ApiVersion");
    const version = apiVersionOf(first);
    let seen = 1; // events consumed, ApiVersion included

    for (;;) {
      const ev = await nextWithin(blockWindow);
      if (ev === EXPIRED) {
        return okResult(latencyMs, { version, blockSeen: false, events: seen });
      }
      if (ev === null) {
        throw new ProbeFailure("protocol", `stream ended after ${seen} events without a BlockAdded`);
      }
      seen += 1;
      const json = parseEventJson(ev, seen);
      if (json === "Shutdown") throw new ProbeFailure("protocol", "node announced Shutdown");
      const block = parseBlockAddedEvent(json);
      if (block === null) continue;
      if (!block.ok) throw new ProbeFailure("protocol", `bad BlockAdded: ${block.problem}`);
      const facts: ChainFacts = {
        version,
        height: block.value.height,
        lastBlockAt: block.value.timestamp,
        blockSeen: true,
        events: seen,
      };
      return okResult(latencyMs, facts);
    }
  } catch (err) {
    return failedResult(err, ctx, latencyMs);
  } finally {
    sse?.cancel();
    deadline.dispose();
  }
};

function parseEventJson(ev: SseEvent, n: number): unknown {
  try {
    return JSON.parse(ev.data) as unknown;
  } catch {
    throw new ProbeFailure("protocol", `event ${n} is not JSON`);
  }
}

/** The first event must be `{"ApiVersion":"x.y.z"}` (warp sends it before anything else). */
function apiVersionOf(ev: SseEvent): string {
  const json = parseEventJson(ev, 1);
  if (
    typeof json === "object" &&
    json !== null &&
    "ApiVersion" in json &&
    typeof json.ApiVersion === "string"
  ) {
    return json.ApiVersion.slice(0, 128);
  }
  throw new ProbeFailure("protocol", `first event is not ApiVersion (got ${describeEvent(json)})`);
}

/** Names an event by its top-level key without echoing arbitrary payload text. */
function describeEvent(json: unknown): string {
  if (typeof json === "object" && json !== null && !Array.isArray(json)) {
    const key = Object.keys(json)[0];
    if (key !== undefined && /^[A-Za-z][A-Za-z0-9_]{0,40}$/.test(key)) return key;
    return "an unknown object";
  }
  return typeof json === "string" && /^[A-Za-z]{1,40}$/.test(json) ? `"${json}"` : typeof json;
}
