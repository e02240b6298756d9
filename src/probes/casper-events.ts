import { parseBlockAddedEvent } from "../core/chains/casper/block.ts";
import { boundedFetch } from "./bounded-fetch.ts";
import type { ProbeRun } from "./contract.ts";
import { abortable, type Deadline, withTimeout } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";
import { createSseReader, type SseEvent, type SseReader } from "./sse-reader.ts";

/**
 * Reading a Casper event stream under a probe's deadline: the node's :9999 (casper-sse) and the
 * sidecar's :19999 (casper-sidecar-events) speak the same warp wire format.
 */

export const EXPIRED = Symbol("window expired");
export type Expired = typeof EXPIRED;

/** The block window ends this much before the hard deadline, so "no block" (ok) wins over "timeout". */
const WINDOW_MARGIN_MS = 50;
/** One line holds one event's JSON; a 2.x block listing many transactions is the largest we expect. */
const MAX_LINE = 4 * 1_048_576;

export interface EventStreamLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * One event stream. Windows given to next() count from the moment open() was called, so a probe
 * that opens a second stream gives it the same room as the first; every wait also ends at the
 * probe's deadline or the caller's abort. cancel() is idempotent and runs when the probe ends.
 */
export class CasperEventStream {
  /** Time from the probe's start to this stream's response headers, once they came. */
  latencyMs: number | undefined;
  private readonly run: ProbeRun;
  private readonly deadline: Deadline;
  private readonly limits: EventStreamLimits;
  private startedAt = 0;
  private reader: SseReader | undefined;

  /** The stream is cancelled when the probe's run ends, however it ends. */
  constructor(run: ProbeRun, limits: EventStreamLimits) {
    this.run = run;
    this.deadline = run.deadline;
    this.limits = limits;
    run.defer(() => this.cancel());
  }

  /** GETs `url` as an event stream; headers must come within `withinMs`, else `onExpire()` is thrown. */
  async open(url: string, withinMs: number, onExpire: () => ProbeFailure): Promise<void> {
    this.startedAt = this.deadline.elapsed();
    const res = await withTimeout(
      boundedFetch(
        url,
        {
          headers: { accept: "text/event-stream", "cache-control": "no-cache" },
          maxBodyBytes: this.limits.maxBytes,
        },
        this.run.options,
        this.deadline,
      ),
      this.left(withinMs),
      (): Expired => EXPIRED,
    );
    if (res === EXPIRED) throw onExpire();
    this.latencyMs = res.latencyMs;
    // The first stream's headers are the probe's latency, also when it fails later.
    this.run.latencyMs ??= res.latencyMs;
    const type = res.headers.get("content-type") ?? "";
    if (!/^text\/event-stream\b/i.test(type) || !res.body) {
      res.cancel();
      throw new ProbeFailure("protocol", `not an event stream (content-type "${type.slice(0, 60)}")`);
    }
    // Open: from here on the probe waits for events.
    this.deadline.enter("event");
    this.reader = createSseReader(res.body, {
      maxBytes: this.limits.maxBytes,
      maxEvents: this.limits.maxEvents,
      maxLineLength: Math.min(this.limits.maxBytes, MAX_LINE),
    });
  }

  /** The next event; null when the stream ended; EXPIRED once `windowMs` after open() has passed. */
  next(windowMs: number): Promise<SseEvent | null | Expired> {
    const reader = this.reader;
    if (reader === undefined) return Promise.reject(new Error("event stream read before open()"));
    const event = abortable(reader.next(), this.deadline.signal).then((ev) => {
      // The first event ends the wait for one (its time is kept); later waits are events too.
      if (ev !== null) this.deadline.enter("event");
      return ev;
    });
    return withTimeout(event, this.left(windowMs), (): Expired => EXPIRED);
  }

  /** `blockWithinMs` after open(), cut to end a little before the probe's hard deadline. */
  blockWindow(blockWithinMs: number): number {
    return Math.min(blockWithinMs, this.run.options.timeoutMs - WINDOW_MARGIN_MS - this.startedAt);
  }

  cancel(): void {
    this.reader?.cancel();
  }

  private left(windowMs: number): number {
    return this.startedAt + windowMs - this.deadline.elapsed();
  }
}

export function parseEventJson(ev: SseEvent, n: number): unknown {
  try {
    return JSON.parse(ev.data) as unknown;
  } catch {
    throw new ProbeFailure("protocol", `event ${n} is not JSON`);
  }
}

/**
 * A stream's opening event: `{"ApiVersion":"x.y.z"}` (node and sidecar /events) or
 * `{"SidecarVersion":"x.y.z"}` (sidecar /events/sidecar). Returns the version, clipped.
 */
export function versionOf(ev: SseEvent, key: "ApiVersion" | "SidecarVersion", n = 1): string {
  const json = parseEventJson(ev, n);
  const version = versionIn(json, key);
  if (version !== undefined) return version;
  throw new ProbeFailure("protocol", `first event is not ${key} (got ${describeEvent(json)})`);
}

/** `json[key]` when json is `{key: "<string>"}`. */
export function versionIn(json: unknown, key: string): string | undefined {
  if (typeof json !== "object" || json === null || !(key in json)) return undefined;
  const value = (json as Record<string, unknown>)[key];
  return typeof value === "string" ? value.slice(0, 128) : undefined;
}

/** Names an event by its top-level key without echoing arbitrary payload text. */
export function describeEvent(json: unknown): string {
  if (typeof json === "object" && json !== null && !Array.isArray(json)) {
    const key = Object.keys(json)[0];
    if (key !== undefined && /^[A-Za-z][A-Za-z0-9_]{0,40}$/.test(key)) return key;
    return "an unknown object";
  }
  return typeof json === "string" && /^[A-Za-z]{1,40}$/.test(json) ? `"${json}"` : typeof json;
}

export type BlockOutcome =
  | { blockSeen: false; events: number }
  | { blockSeen: true; events: number; height: number; lastBlockAt: number };

/**
 * Reads until a `BlockAdded` (its height and time) or the block window's end (blockSeen false).
 * Other events are skipped; a `Shutdown`, a malformed BlockAdded or the end of the stream is a
 * `protocol` failure. `seen` counts events already consumed on this stream.
 */
export async function awaitBlockAdded(
  stream: CasperEventStream,
  blockWithinMs: number,
  seen: number,
): Promise<BlockOutcome> {
  const window = stream.blockWindow(blockWithinMs);
  let events = seen;
  for (;;) {
    const ev = await stream.next(window);
    if (ev === EXPIRED) return { blockSeen: false, events };
    if (ev === null) {
      throw new ProbeFailure("protocol", `stream ended after ${events} events without a BlockAdded`);
    }
    events += 1;
    const json = parseEventJson(ev, events);
    if (json === "Shutdown") throw new ProbeFailure("protocol", "node announced Shutdown");
    const block = parseBlockAddedEvent(json);
    if (block === null) continue;
    if (!block.ok) throw new ProbeFailure("protocol", `bad BlockAdded: ${block.problem}`);
    return { blockSeen: true, events, height: block.value.height, lastBlockAt: block.value.timestamp };
  }
}
