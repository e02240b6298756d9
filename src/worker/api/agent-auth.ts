import type { AgentError } from "../../core/agent/batch.ts";
import { AGENT_HEADERS, MAX_BODY_BYTES, MAX_CLOCK_SKEW_MS } from "../../core/agent/protocol.ts";
import { verifyRequest } from "../../core/agent/signature.ts";
import { type AgentConfig, keyIdOf } from "../../core/config/agents.ts";
import type { Config } from "../../core/config/schema.ts";
import { secretValue } from "../../core/secrets.ts";

export type AgentAuth =
  | { ok: true; agent: AgentConfig; body: string }
  | { ok: false; status: 401 | 413 | 503; error: AgentError };

const refuse = (status: 401 | 413 | 503, error: AgentError): AgentAuth => ({ ok: false, status, error });

/**
 * Past the limit the rest of a body is still read, and thrown away, up to this much: a server that
 * answers before the client has sent everything makes many clients (and local proxies) see a reset
 * connection instead of the 413 that explains it. Larger bodies are cut off at once.
 */
const DRAIN_LIMIT_BYTES = 64 * 1_048_576;

/** Reads at most `max` bytes of the body; undefined when it is longer, however it is sent. */
async function readBounded(req: Request, max: number): Promise<string | undefined> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > DRAIN_LIMIT_BYTES) {
    await req.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // The declared length is checked too, but the bytes are counted: a sender may lie or omit it.
  let tooLarge = Number.isFinite(declared) && declared > max;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) tooLarge = true;
    if (total > DRAIN_LIMIT_BYTES) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    if (!tooLarge) chunks.push(value);
  }
  if (tooLarge) return undefined;
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/**
 * Who sent this request, proven: the body fits the size limit, the key id names a configured
 * agent, the HMAC over `timestamp.body` verifies under that agent's key (a constant-time check),
 * and the timestamp is within the clock-skew window. Each refusal names what was wrong.
 */
export async function authenticateAgent(req: Request, env: object, config: Config): Promise<AgentAuth> {
  // The size first: every other refusal would otherwise leave a large body unread.
  const body = await readBounded(req, MAX_BODY_BYTES);
  if (body === undefined) {
    return refuse(413, {
      error: "too_large",
      message: `request body exceeds ${MAX_BODY_BYTES} bytes; send smaller batches`,
    });
  }
  const keyId = req.headers.get(AGENT_HEADERS.keyId);
  const timestamp = req.headers.get(AGENT_HEADERS.timestamp);
  const signature = req.headers.get(AGENT_HEADERS.signature);
  const missing = [
    keyId ? "" : "X-Agent-Key-Id",
    timestamp ? "" : "X-Agent-Timestamp",
    signature ? "" : "X-Agent-Signature",
  ].filter(Boolean);
  if (!keyId || !timestamp || !signature) {
    return refuse(401, { error: "missing_signature", message: `missing header ${missing.join(", ")}` });
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    return refuse(401, {
      error: "missing_signature",
      message: "X-Agent-Timestamp must be unix milliseconds (digits only)",
    });
  }
  const agent = config.agents.find((a) => keyIdOf(a) === keyId);
  if (!agent) {
    return refuse(401, { error: "unknown_key", message: `no agent has key id '${keyId.slice(0, 64)}'` });
  }
  const secret = secretValue(env, agent.keySecret);
  if (secret === undefined) {
    return refuse(503, {
      error: "agent_key_not_set",
      message: `the Worker secret ${agent.keySecret} (key of agent ${agent.id}) is not set`,
    });
  }
  if (!(await verifyRequest(secret, timestamp, body, signature))) {
    return refuse(401, {
      error: "bad_signature",
      message: `signature does not verify for key id '${keyId}' (HMAC-SHA256 over timestamp + "." + body)`,
    });
  }
  const now = Date.now();
  const skew = Number(timestamp) - now;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    return refuse(401, {
      error: "clock_skew",
      message: `timestamp is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? "ahead of" : "behind"} the Worker's clock; the window is ±${MAX_CLOCK_SKEW_MS / 1000} s`,
      serverTime: now,
    });
  }
  return { ok: true, agent, body };
}
