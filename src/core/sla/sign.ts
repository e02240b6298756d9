import type { z } from "zod";
import type { SlaReportBody, SlaReportSchema } from "./schema.ts";

/**
 * Reports are signed with HMAC-SHA256 (WebCrypto) under the `REPORT_SIGNING_KEY` secret, over the
 * canonical JSON of the report without its `signature` field: keys sorted at every level, no
 * whitespace, numbers as JSON.stringify writes them. Anyone holding the key can verify; the key
 * never leaves the operator.
 */
export const SIGNATURE_ALG = "HMAC-SHA256";

export type SignedSlaReport = z.infer<typeof SlaReportSchema>;
export type ReportSignature = SignedSlaReport["signature"];

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

const hex = (buf: ArrayBuffer) =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function hmac(key: string, text: string): Promise<string> {
  const enc = new TextEncoder();
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return hex(await crypto.subtle.sign("HMAC", k, enc.encode(text)));
}

export async function signReport(
  body: SlaReportBody,
  key: string,
  keyId = "REPORT_SIGNING_KEY",
): Promise<SignedSlaReport> {
  const value = await hmac(key, canonicalJson(body));
  return { ...body, signature: { alg: SIGNATURE_ALG, keyId, value } };
}

export interface Verification {
  valid: boolean;
  reason?: string;
}

/** Checks a parsed report against the key; constant-time comparison of the MAC. */
export async function verifyReport(report: unknown, key: string): Promise<Verification> {
  if (report === null || typeof report !== "object" || Array.isArray(report)) {
    return { valid: false, reason: "not a JSON object" };
  }
  const { signature, ...body } = report as Record<string, unknown>;
  const sig = signature as Partial<ReportSignature> | undefined;
  if (!sig || typeof sig.value !== "string") return { valid: false, reason: "no signature" };
  if (sig.alg !== SIGNATURE_ALG) return { valid: false, reason: `unsupported alg ${String(sig.alg)}` };
  const want = await hmac(key, canonicalJson(body));
  let diff = want.length ^ sig.value.length;
  for (let i = 0; i < want.length; i++) diff |= want.charCodeAt(i) ^ (sig.value.charCodeAt(i) || 0);
  return diff === 0 ? { valid: true } : { valid: false, reason: "signature does not match the report" };
}
