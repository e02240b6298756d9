/**
 * The Standard Webhooks signing scheme (https://www.standardwebhooks.com), on WebCrypto so it runs
 * in workerd and in Node alike:
 *
 *   webhook-id:        the message id (our alert event id, so a consumer can dedupe retries)
 *   webhook-timestamp: unix seconds
 *   webhook-signature: "v1,<base64 HMAC-SHA256(key, `${id}.${timestamp}.${body}`)>"
 *
 * The secret is "whsec_" + base64 of the key bytes; the key is the base64-decoded remainder.
 * Several space-separated signatures may appear in the header (key rotation); one must match.
 */

export const SECRET_PREFIX = "whsec_";
export const DEFAULT_TOLERANCE_SEC = 300;

export class WebhookSecretError extends Error {
  override name = "WebhookSecretError";
}

const encoder = new TextEncoder();

/** The HMAC key bytes of a `whsec_…` secret (the prefix is optional). Throws on bad base64. */
export function secretKeyBytes(secret: string): Uint8Array {
  const b64 = secret.trim().startsWith(SECRET_PREFIX)
    ? secret.trim().slice(SECRET_PREFIX.length)
    : secret.trim();
  if (b64 === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 === 1) {
    throw new WebhookSecretError("signing secret is not whsec_ followed by base64");
  }
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new WebhookSecretError("signing secret is not whsec_ followed by base64");
  }
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  if (bytes.length < 16) throw new WebhookSecretError("signing secret is shorter than 16 bytes");
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(b64: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

async function hmac(secret: string, id: string, timestamp: number, body: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    secretKeyBytes(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${id}.${timestamp}.${body}`));
  return new Uint8Array(mac);
}

/** `v1,<base64 signature>` for one message. `timestamp` is unix seconds. */
export async function signStandardWebhook(
  id: string,
  timestamp: number,
  body: string,
  secret: string,
): Promise<string> {
  return `v1,${toBase64(await hmac(secret, id, timestamp, body))}`;
}

export interface StandardWebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three headers for a message sent at `now`. */
export async function standardWebhookHeaders(
  id: string,
  body: string,
  secret: string,
  now: Date,
): Promise<StandardWebhookHeaders> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signStandardWebhook(id, timestamp, body, secret),
  };
}

/** Byte comparison whose time does not depend on where the inputs differ. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i % Math.max(1, b.length)] ?? 0);
  return diff === 0;
}

export type HeaderSource =
  | Headers
  | Record<string, string | string[] | undefined>
  | ReadonlyMap<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  let value: string | string[] | null | undefined;
  if (headers instanceof Map) {
    value = headers.get(name);
  } else if (typeof (headers as Headers).get === "function") {
    value = (headers as Headers).get(name);
  } else {
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  if (Array.isArray(value)) value = value.join(" ");
  return value ?? undefined;
}

export type VerifyFailure =
  | "missing-headers"
  | "bad-timestamp"
  | "timestamp-too-old"
  | "timestamp-too-new"
  | "bad-signature";

export type VerifyResult = { ok: true; id: string; timestamp: number } | { ok: false; error: VerifyFailure };

/**
 * Checks a received message: all three headers present, the timestamp within `toleranceSec` of
 * `now` (either way: replays of old messages and clocks far ahead both fail), and one of the `v1`
 * signatures matching the raw body (compared in constant time). `body` must be the exact bytes
 * received, not re-serialised JSON. Throws WebhookSecretError if the secret itself is malformed.
 */
export async function verifyStandardWebhook(
  headers: HeaderSource,
  body: string,
  secret: string,
  now: Date = new Date(),
  toleranceSec: number = DEFAULT_TOLERANCE_SEC,
): Promise<VerifyResult> {
  const id = header(headers, "webhook-id");
  const ts = header(headers, "webhook-timestamp");
  const sigs = header(headers, "webhook-signature");
  if (!id || !ts || !sigs) return { ok: false, error: "missing-headers" };
  if (!/^\d{1,15}$/.test(ts)) return { ok: false, error: "bad-timestamp" };
  const timestamp = Number(ts);
  const nowSec = Math.floor(now.getTime() / 1000);
  if (timestamp < nowSec - toleranceSec) return { ok: false, error: "timestamp-too-old" };
  if (timestamp > nowSec + toleranceSec) return { ok: false, error: "timestamp-too-new" };

  const expected = await hmac(secret, id, timestamp, body);
  let match = false;
  for (const candidate of sigs.split(" ")) {
    const comma = candidate.indexOf(",");
    if (comma < 0 || candidate.slice(0, comma) !== "v1") continue;
    const given = fromBase64(candidate.slice(comma + 1));
    if (given !== undefined && timingSafeEqual(given, expected)) match = true;
  }
  return match ? { ok: true, id, timestamp } : { ok: false, error: "bad-signature" };
}
