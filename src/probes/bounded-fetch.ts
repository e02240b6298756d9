import type { ProbeOptions } from "./contract.ts";
import { abortable, type Deadline } from "./deadline.ts";
import { asBodyError, ProbeFailure } from "./failure.ts";

export interface BoundedRequest {
  method?: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
  /** Probe-specific headers (accept, content-type); options.headers and User-Agent are added. */
  headers?: Record<string, string>;
  body?: string;
  /** text()/json() stop and fail with `too_large` past this many bytes. */
  maxBodyBytes: number;
  /**
   * Statuses answered as a response instead of an `http_status` failure, for probes that read
   * error bodies (an RPC proxy's 429 or 500) or judge the status themselves (user conditions).
   * Default: 2xx only.
   */
  acceptStatus?: (status: number) => boolean;
}

export interface BoundedResponse {
  status: number;
  headers: Headers;
  /**
   * Time from the start of the probe to the response headers. We measure headers, not the full
   * body: it is what the node's responsiveness looks like, it is defined for streams (SSE) that
   * never end, and a big-but-healthy body does not read as a slow node.
   */
  latencyMs: number;
  /** Raw body stream (SSE). Mutually exclusive with text()/json(). */
  body: ReadableStream<Uint8Array> | null;
  /** Reads the whole body, at most maxBodyBytes, before the deadline. */
  text(): Promise<string>;
  /** text() + JSON.parse; a parse failure is `bad_body`. */
  json(): Promise<unknown>;
  /** Releases the connection without reading further. */
  cancel(): void;
}

/**
 * fetch with the probe's rules: one deadline for the whole exchange, no redirects followed (a
 * redirect is reported, since following it could lead anywhere), our User-Agent, and a body
 * reader that stops at `maxBodyBytes` instead of buffering whatever the endpoint sends.
 * Non-2xx statuses throw `http_status`; transport errors propagate for classify().
 * Response header size is left to the runtime's own limit: fetch offers no knob for it.
 */
export async function boundedFetch(
  url: string,
  req: BoundedRequest,
  options: ProbeOptions,
  deadline: Deadline,
): Promise<BoundedResponse> {
  const headers = new Headers(options.headers);
  for (const [k, v] of Object.entries(req.headers ?? {})) headers.set(k, v);
  // Set last: the User-Agent identifies the vantage and must not be overridden by monitor headers.
  headers.set("user-agent", options.userAgent);

  deadline.enter("response");
  const res = await fetch(url, {
    method: req.method ?? "GET",
    headers,
    body: req.body,
    redirect: "manual",
    signal: deadline.signal,
  });
  const latencyMs = deadline.elapsed();
  const cancel = () => {
    res.body?.cancel().catch(() => {});
  };

  const accepted = req.acceptStatus?.(res.status) ?? (res.status >= 200 && res.status <= 299);
  if (!accepted) {
    cancel();
    const what = res.status >= 300 && res.status < 400 ? " redirect (not followed)" : "";
    throw new ProbeFailure("http_status", `HTTP ${res.status}${what}`, res.status);
  }
  // One clock reading for both: the response phase's time is the latency reported.
  deadline.done(latencyMs);
  deadline.enter("body");

  const text = () => readBodyText(res, req.maxBodyBytes, deadline);
  return {
    status: res.status,
    headers: res.headers,
    latencyMs,
    body: res.body,
    text,
    json: async () => {
      const raw = await text();
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new ProbeFailure("bad_body", `body is not JSON (${describeStart(raw)})`);
      }
    },
    cancel,
  };
}

/** A short, safe description of what the body started with, to help tell HTML from garbage. */
function describeStart(raw: string): string {
  if (raw.length === 0) return "empty";
  const printable = /^[\x20-\x7e]{1,24}/.exec(raw.trimStart())?.[0];
  return printable ? `starts with "${printable}"` : `${raw.length} chars, not text`;
}

async function readBodyText(res: Response, maxBytes: number, deadline: Deadline): Promise<string> {
  const tooLarge = () => new ProbeFailure("too_large", `body exceeds ${maxBytes} bytes`);
  // Fail fast on an honest Content-Length, without reading a byte.
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!res.body) return "";

  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let total = 0;
  let out = "";
  try {
    for (;;) {
      // The fetch signal should also error the stream, but racing each read keeps the bound
      // even if a runtime does not propagate the abort into the body.
      const { done, value } = await abortable(reader.read(), deadline.signal);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge();
      out += decoder.decode(value, { stream: true });
    }
    deadline.done();
    return out + decoder.decode();
  } catch (err) {
    throw asBodyError(err);
  } finally {
    // Cancel (not just release) so the runtime stops pulling an endless or huge body.
    reader.cancel().catch(() => {});
  }
}
