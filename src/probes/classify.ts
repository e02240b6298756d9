import { redactUrls } from "../core/redact.ts";
import type { ProbeError } from "../core/result.ts";
import type { Deadline } from "./deadline.ts";
import { BodyReadError, ProbeFailure } from "./failure.ts";
import type { TargetInfo } from "./target.ts";

/** The schema caps messages at 500 chars; keep room so a clipped message still validates. */
const MAX_MESSAGE = 300;

export interface ClassifyContext extends TargetInfo {
  deadline: Deadline;
}

// Error texts workerd produces (measured with local workerd against the simulated fleet), plus
// Node/undici spellings so the same classifier can serve the agent.
const FETCH_REFUSED = /network connection lost/i; // fetch to a closed port (or a reset)
// connect() to a closed port, and equally to a name that does not resolve.
const SOCKET_REFUSED = /cannot connect to the specified address/i;
const REFUSED = /connection refused|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH/i;
// fetch hides both a failed DNS lookup and a failed TLS handshake behind this text.
const WORKERD_INTERNAL = /internal error; reference =/i;
const DNS = /ENOTFOUND|EAI_AGAIN|getaddrinfo|\bDNS\b|name not resolved/i;
const TLS = /\bTLS\b|\bSSL\b|certificate|handshake|CERT_|self[- ]signed/i;

const errorName = (err: unknown) => (err instanceof Error || err instanceof DOMException ? err.name : "");
/**
 * The error's message and those of its causes: Node's fetch says only "fetch failed" and puts the
 * socket error (ECONNREFUSED, ENOTFOUND, a TLS alert) in `cause`.
 */
function errorText(err: unknown, depth = 0): string {
  if (typeof err === "string") return err;
  if (!(err instanceof Error || err instanceof DOMException)) return "";
  const { code, cause } = err as { code?: unknown; cause?: unknown };
  const own = typeof code === "string" ? `${err.message} (${code})` : err.message;
  const inner = depth < 3 && cause !== undefined ? errorText(cause, depth + 1) : "";
  return inner ? `${own}: ${inner}` : own;
}

/** Redacts targets and clips, so no message leaves a probe with a URL, host, IP or port in it. */
export function cleanMessage(text: string, hosts: readonly string[]): string {
  const one = redactUrls(text, hosts).replace(/\s+/g, " ").trim();
  return one.length > MAX_MESSAGE ? `${one.slice(0, MAX_MESSAGE - 1)}…` : one;
}

/** A timeout, said as an operator would: in which phase, and how far the probe had come. */
function timeoutMessage(deadline: Deadline): string {
  const t = deadline.timeoutMs;
  const { responseMs } = deadline.timings;
  switch (deadline.phase) {
    case "connect":
      return `timed out connecting: no connection within ${t} ms`;
    case "response":
      return `timed out waiting for a response: nothing within ${t} ms`;
    case "body":
      return `timed out reading the body after ${t} ms (headers after ${responseMs} ms)`;
    case "event":
      return `timed out waiting for a stream event after ${t} ms (stream open after ${responseMs} ms)`;
    default:
      return `no answer within ${t} ms`;
  }
}

/** Maps anything a probe step threw to a classified, redacted ProbeError. */
export function classifyError(err: unknown, ctx: ClassifyContext): ProbeError {
  const { deadline, hosts } = ctx;
  const make = (e: ProbeError): ProbeError => ({ ...e, message: cleanMessage(e.message, hosts) });

  if (err instanceof ProbeFailure) return make(err.toProbeError());
  // The caller going away is not the node's fault, but the probe has no answer either: report it as
  // a timeout with a message that says so, and let the evaluator treat it as unknown.
  if (deadline.caller.aborted)
    return make({ kind: "timeout", message: "aborted by caller before an answer" });

  const name = errorName(err);
  const text = errorText(err);
  if (name === "TimeoutError" || (name === "AbortError" && deadline.signal.aborted)) {
    return make({ kind: "timeout", message: timeoutMessage(deadline) });
  }
  if (FETCH_REFUSED.test(text) || REFUSED.test(text)) {
    // Before the response a lost connection is a refusal; after it, the body was cut short.
    return make(
      err instanceof BodyReadError
        ? { kind: "bad_body", message: "connection lost while reading the body" }
        : { kind: "refused", message: "connection refused" },
    );
  }
  if (SOCKET_REFUSED.test(text)) {
    return make({
      kind: "refused",
      message: ctx.hostIsIp ? "connection refused" : "connection refused (or the host name does not resolve)",
    });
  }
  if (WORKERD_INTERNAL.test(text)) {
    // Over plain HTTP only the lookup can fail this way; with TLS it may be either, unless the
    // host is an IP literal. A self-signed or expired certificate is the common https case.
    // Plain HTTP to an IP literal has neither, so the failure is workerd's own: out of file
    // descriptors, it answers every fetch so (measured at 12,500 monitors on local workerd),
    // and calling that the node's DNS would page its operator for our overload.
    if (!ctx.tls && ctx.hostIsIp)
      return make({ kind: "internal", message: "the checker could not open a connection (its own failure)" });
    if (!ctx.tls) return make({ kind: "dns", message: "DNS lookup failed" });
    return make({
      kind: "tls",
      message: ctx.hostIsIp
        ? "TLS handshake failed"
        : "TLS handshake failed (or the host name does not resolve)",
    });
  }
  if (TLS.test(text)) return make({ kind: "tls", message: `TLS failure: ${text}` });
  if (DNS.test(text)) return make({ kind: "dns", message: "DNS lookup failed" });
  // Unrecognised: our side or the platform. `internal` evaluates to unknown, never to down.
  return make({
    kind: "internal",
    message: `unexpected error: ${name ? `${name}: ` : ""}${text || String(err)}`,
  });
}
