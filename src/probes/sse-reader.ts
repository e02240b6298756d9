import { asBodyError, ProbeFailure } from "./failure.ts";

/** One dispatched server-sent event. Casper never sends `event:`; it is kept for other servers. */
export interface SseEvent {
  data: string;
  id?: string;
  event?: string;
}

export interface SseLimits {
  /** Total bytes read from the stream, comments and keep-alives included. */
  maxBytes: number;
  /** Events dispatched (comments are not events). */
  maxEvents: number;
  /** Longest line, and longest data of one event, in characters (≤ its UTF-8 bytes). */
  maxLineLength: number;
}

export interface SseStats {
  bytes: number;
  events: number;
  /** Comment lines (":" keep-alives). */
  comments: number;
}

export interface SseReader {
  /**
   * The next event, or null when the stream ended. Throws `too_large` past a limit. Takes no
   * signal: wrap it in abortable()/withTimeout() and call cancel() when giving up.
   */
  next(): Promise<SseEvent | null>;
  /** Cancels the underlying stream so the runtime stops pulling bytes. Idempotent. */
  cancel(): void;
  readonly stats: SseStats;
}

const LF = 10;
const CR = 13;

/**
 * A bounded reader for the text/event-stream format (WHATWG HTML §9.2), as Casper's warp server
 * writes it: `data:` lines, an optional `id:` line, a blank line ending the event, and `:` comment
 * keep-alives. Lines may end in LF, CRLF or CR. Nothing grows without a limit: total bytes, event
 * count, and the length of a line or of one event's data are all capped.
 */
export function createSseReader(stream: ReadableStream<Uint8Array>, limits: SseLimits): SseReader {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const stats: SseStats = { bytes: 0, events: 0, comments: 0 };
  const queue: SseEvent[] = [];
  let partial = "";
  let skipLf = false; // the last chunk ended in CR; a leading LF is the rest of that CRLF
  let done = false;
  let cancelled = false;
  let data: string[] = [];
  let dataLength = 0;
  let id: string | undefined;
  let eventType: string | undefined;
  // Set when the event limit is reached; raised only once the queued events are consumed, so an
  // answer that arrived in the same chunk is not lost.
  let overLimit: ProbeFailure | undefined;

  const lineTooLong = () =>
    new ProbeFailure("too_large", `SSE line exceeds ${limits.maxLineLength} characters`);

  const dispatch = () => {
    if (data.length > 0 && overLimit === undefined) {
      if (stats.events >= limits.maxEvents) {
        overLimit = new ProbeFailure("too_large", `more than ${limits.maxEvents} SSE events`);
      } else {
        stats.events += 1;
        queue.push(makeEvent());
      }
    }
    data = [];
    dataLength = 0;
    id = undefined;
    eventType = undefined;
  };

  const makeEvent = (): SseEvent => {
    const ev: SseEvent = { data: data.join("\n") };
    if (id !== undefined) ev.id = id;
    if (eventType !== undefined) ev.event = eventType;
    return ev;
  };

  const onLine = (line: string) => {
    if (line.length > limits.maxLineLength) throw lineTooLong();
    if (line === "") return dispatch();
    if (line.charCodeAt(0) === 58 /* ":" */) {
      stats.comments += 1;
      return;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      dataLength += value.length + 1;
      if (dataLength > limits.maxLineLength) throw lineTooLong();
      data.push(value);
    } else if (field === "id") {
      id = value;
    } else if (field === "event") {
      eventType = value;
    }
    // "retry" and unknown fields are ignored, as the spec says.
  };

  const feed = (text: string) => {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === LF) {
          start = i + 1;
          continue;
        }
      }
      if (c === LF || c === CR) {
        const line = partial + text.slice(start, i);
        partial = "";
        onLine(line);
        skipLf = c === CR;
        start = i + 1;
      }
    }
    partial += text.slice(start);
    if (partial.length > limits.maxLineLength) throw lineTooLong();
  };

  const cancel = () => {
    if (cancelled) return;
    cancelled = true;
    done = true;
    reader.cancel().catch(() => {});
  };

  const next = async (): Promise<SseEvent | null> => {
    try {
      while (queue.length === 0) {
        if (overLimit) throw overLimit;
        if (done) return null;
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (err) {
          throw asBodyError(err);
        }
        if (chunk.done) {
          done = true;
          // An event without its closing blank line is dropped at end of stream (spec).
          feed(decoder.decode());
          continue;
        }
        stats.bytes += chunk.value.byteLength;
        if (stats.bytes > limits.maxBytes) {
          throw new ProbeFailure("too_large", `SSE stream exceeds ${limits.maxBytes} bytes`);
        }
        feed(decoder.decode(chunk.value, { stream: true }));
      }
    } catch (err) {
      cancel();
      throw err;
    }
    return queue.shift() ?? null;
  };

  return { next, cancel, stats };
}
