/**
 * What a chat service said when it refused an alert, from the error bodies they document:
 * Telegram `{"ok":false,"description":"Bad Request: chat not found","parameters":{"retry_after":5}}`,
 * ntfy `{"http":403,"error":"forbidden"}`, Discord `{"message":…,"retry_after":1.5}`,
 * PagerDuty `{"message":…,"errors":[…]}`, or plain text.
 */
export interface ServiceAnswer {
  /** The service's own words, one line, at most 200 characters. */
  reason?: string;
  /** A retry delay the body asks for (Telegram and Discord put it there, not in `Retry-After`). */
  retryAfterSec?: number;
}

const REASON_MAX = 200;

const oneLine = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > REASON_MAX ? `${line.slice(0, REASON_MAX - 1)}…` : line;
};

const positive = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined);

export function readServiceAnswer(body: string): ServiceAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const text = oneLine(body);
    // An HTML error page says nothing a person should read in an alert log.
    return text === "" || text.startsWith("<") ? {} : { reason: text };
  }
  if (parsed === null || typeof parsed !== "object") return {};
  const o = parsed as Record<string, unknown>;
  const params = (o.parameters ?? {}) as Record<string, unknown>;
  const text = [o.description, o.error, o.message].find(
    (v): v is string => typeof v === "string" && v !== "",
  );
  const answer: ServiceAnswer = {};
  if (text !== undefined) answer.reason = oneLine(text);
  const retry = positive(params.retry_after) ?? positive(o.retry_after);
  if (retry !== undefined) answer.retryAfterSec = retry;
  return answer;
}
