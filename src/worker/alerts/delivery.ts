import type { AlertEvent } from "../../core/alerts/event.ts";
import type { OutgoingRequest } from "../../core/alerts/providers/contract.ts";
import { readServiceAnswer } from "../../core/alerts/service-answer.ts";
import { backoffMs } from "../../core/backoff.ts";
import { redactUrls } from "../../core/redact.ts";

export type DeliveryOutcome =
  | { kind: "sent"; status: number }
  | { kind: "retry"; afterMs: number; error: string }
  | { kind: "fail"; error: string };

const SEND_TIMEOUT_MS = 10_000;
/** Enough of an error body for the service's reason; a receiver streaming forever costs nothing more. */
const ERROR_BODY_MAX = 4096;
const MAX_RETRY_AFTER_MS = 3_600_000;

/** `Retry-After` as seconds or an HTTP date; bounded so a hostile receiver can't park us forever. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? clampRetry(ms) : undefined;
}

const clampRetry = (ms: number) => Math.min(Math.max(ms, 1000), MAX_RETRY_AFTER_MS);

/** 5 s, 10 s, 20 s … capped at an hour. */
const retryDelayMs = (attempts: number) => backoffMs(attempts - 1, 5_000, MAX_RETRY_AFTER_MS);

/** Sends one rendered alert and classifies the answer; never throws. */
export async function send(
  request: OutgoingRequest,
  attempts: number,
  now: number,
): Promise<DeliveryOutcome> {
  let res: Response;
  try {
    res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    const error = timedOut
      ? `no answer within ${SEND_TIMEOUT_MS} ms`
      : redactUrls(String((e as Error).message ?? e));
    return { kind: "retry", afterMs: retryDelayMs(attempts), error };
  }
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel().catch(() => {});
    return { kind: "sent", status: res.status };
  }
  const answer = readServiceAnswer(await readPrefix(res, ERROR_BODY_MAX));
  const said = answer.reason === undefined ? "" : `: ${redactUrls(answer.reason)}`;
  if (res.status === 429) {
    const asked = answer.retryAfterSec === undefined ? undefined : clampRetry(answer.retryAfterSec * 1000);
    return {
      kind: "retry",
      afterMs: retryAfterMs(res.headers.get("retry-after"), now) ?? asked ?? retryDelayMs(attempts),
      error: `HTTP 429 rate limited${said}`,
    };
  }
  if (res.status >= 500 || res.status === 408) {
    return { kind: "retry", afterMs: retryDelayMs(attempts), error: `HTTP ${res.status}${said}` };
  }
  // Any other 4xx will not get better by itself: a wrong URL, a revoked webhook, a chat the bot
  // was removed from, a topic it may not publish to.
  return { kind: "fail", error: `HTTP ${res.status} (not retried)${said}` };
}

/** The first `max` bytes of a body as text; the rest is cancelled, never read. */
async function readPrefix(res: Response, max: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still tells what arrived.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, max));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, Math.min(c.byteLength, bytes.length - at));
    bytes.set(part, at);
    at += part.byteLength;
    if (at >= bytes.length) break;
  }
  return new TextDecoder().decode(bytes);
}

export type { AlertEvent };
