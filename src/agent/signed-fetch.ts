import { AGENT_HEADERS } from "../core/agent/protocol.ts";
import { signRequest } from "../core/agent/signature.ts";

export interface Credentials {
  workerUrl: string;
  keyId: string;
  key: string;
}

export interface SignedAnswer {
  status: number;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  json: unknown;
  headers: Headers;
}

const MAX_ANSWER_BYTES = 4 * 1_048_576;

/**
 * One signed request to the Worker. Each call signs afresh with the current time, so a retry is a
 * new request and never looks like a replay. Network failures throw; any HTTP answer returns.
 */
export async function signedFetch(
  creds: Credentials,
  method: "GET" | "POST",
  path: string,
  body: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SignedAnswer> {
  const timestamp = String(Date.now());
  const signature = await signRequest(creds.key, timestamp, body);
  const url = new URL(path, creds.workerUrl.endsWith("/") ? creds.workerUrl : `${creds.workerUrl}/`);
  const res = await fetch(url, {
    method,
    headers: {
      [AGENT_HEADERS.keyId]: creds.keyId,
      [AGENT_HEADERS.timestamp]: timestamp,
      [AGENT_HEADERS.signature]: signature,
      ...(method === "POST" ? { "content-type": "application/json" } : {}),
      "user-agent": "chain-uptime-agent",
    },
    body: method === "POST" ? body : undefined,
    signal: signal
      ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs),
    redirect: "error",
  });
  const text = await res.text();
  let json: unknown;
  if (text.length <= MAX_ANSWER_BYTES) {
    try {
      json = JSON.parse(text);
    } catch {}
  }
  return { status: res.status, json, headers: res.headers };
}
