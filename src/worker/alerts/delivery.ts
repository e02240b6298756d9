import type { AlertEvent } from "../../core/alerts/event.ts";
import type { OutgoingRequest } from "../../core/alerts/providers/contract.ts";
import { backoffMs } from "../../core/backoff.ts";
import { redactUrls } from "../../core/redact.ts";

export type DeliveryOutcome =
  | { kind: "sent"; status: number }
  | { kind: "retry"; afterMs: number; error: string }
  | { kind: "fail"; error: string };

const SEND_TIMEOUT_MS = 10_000;
const MAX_RETRY_AFTER_MS = 3_600_000;

/** `Retry-After` as seconds or an HTTP date; bounded so a hostile receiver can't park us forever. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 1000), MAX_RETRY_AFTER_MS);
}

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
  // The body is not needed; cancel it so a receiver streaming forever costs nothing.
  await res.body?.cancel().catch(() => {});
  if (res.status >= 200 && res.status < 300) return { kind: "sent", status: res.status };
  if (res.status === 429) {
    return {
      kind: "retry",
      afterMs: retryAfterMs(res.headers.get("retry-after"), now) ?? retryDelayMs(attempts),
      error: "HTTP 429 rate limited",
    };
  }
  if (res.status >= 500 || res.status === 408) {
    return { kind: "retry", afterMs: retryDelayMs(attempts), error: `HTTP ${res.status}` };
  }
  // Any other 4xx will not get better by itself: a wrong URL, a revoked webhook, a bad payload.
  return { kind: "fail", error: `HTTP ${res.status} (not retried)` };
}

export type { AlertEvent };
