import { type BoundedRequest, type BoundedResponse, boundedFetch } from "./bounded-fetch.ts";
import type { ProbeOptions } from "./contract.ts";
import { abortable, type Deadline, withTimeout } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";

/** An error body longer than this is a page, not a reason. */
const REASON_BYTES = 512;
/** How long a reason may take to arrive once the status is known. */
const REASON_WAIT_MS = 500;
const PRINTABLE = /^[\x20-\x7e]{1,120}$/;

/**
 * boundedFetch for endpoints whose error statuses say why: a non-2xx answer is still an
 * `http_status` failure, but its message carries the body's short reason when there is one —
 * casper-node's `/metrics` answers 500 `metrics not available`, the sidecar's REST
 * `{"code":400,"message":"Invalid request path provided"}`. Redirects are reported, not followed.
 */
export async function fetchExplained(
  url: string,
  req: Omit<BoundedRequest, "acceptStatus">,
  options: ProbeOptions,
  deadline: Deadline,
): Promise<BoundedResponse> {
  const res = await boundedFetch(url, { ...req, acceptStatus: () => true }, options, deadline);
  if (res.status >= 200 && res.status <= 299) return res;
  if (res.status >= 300 && res.status <= 399) {
    res.cancel();
    throw new ProbeFailure("http_status", `HTTP ${res.status} redirect (not followed)`, res.status);
  }
  const reason = await withTimeout(shortReason(res, deadline), REASON_WAIT_MS, () => undefined);
  res.cancel();
  throw new ProbeFailure("http_status", `HTTP ${res.status}${reason ? `: ${reason}` : ""}`, res.status);
}

/** A JSON `message` or the text itself, if it is short printable ASCII; otherwise nothing. */
async function shortReason(res: BoundedResponse, deadline: Deadline): Promise<string | undefined> {
  if (!res.body) return undefined;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await abortable(reader.read(), deadline.signal);
      if (done) break;
      total += value.byteLength;
      if (total > REASON_BYTES) return undefined;
      chunks.push(value);
    }
  } catch {
    return undefined;
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  let text = new TextDecoder().decode(bytes).trim();
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === "object" && json !== null && "message" in json && typeof json.message === "string") {
      text = json.message.trim();
    }
  } catch {
    // plain text (warp's rejections)
  }
  return PRINTABLE.test(text) ? text : undefined;
}
