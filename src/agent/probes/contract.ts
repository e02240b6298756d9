import type { ProbeResult } from "../../core/result.ts";
import type { ProbeOptions } from "../../probes/contract.ts";
import type { TargetInfo } from "../../probes/target.ts";
import { bare } from "../net/connect.ts";

export type { ProbeOptions } from "../../probes/contract.ts";

/**
 * The agent's probes keep the Worker's contract (src/probes/contract.ts): a function of check,
 * options and an abort signal that never throws and settles within options.timeoutMs, returning a
 * classified, redacted ProbeResult. Only the transport differs: node:net, node:tls, node:dgram.
 */
export type AgentProbe<C> = (check: C, options: ProbeOptions, signal: AbortSignal) => Promise<ProbeResult>;

const IP_LITERAL = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:.]*:[0-9a-f:.]*)$/i;

/** What classify() needs about a host-based target; the host is redacted from every message. */
export function hostTarget(host: string, tls: boolean): TargetInfo {
  const b = bare(host);
  return { hosts: b === host ? [host] : [host, b], tls, hostIsIp: IP_LITERAL.test(b) };
}

export function urlTarget(raw: string): TargetInfo {
  try {
    const u = new URL(raw);
    return hostTarget(u.hostname, u.protocol === "https:" || u.protocol === "wss:");
  } catch {
    return { hosts: [], tls: false, hostIsIp: false };
  }
}

/** Targets of any check shape: URL-based or host-based. */
export function targetOfAny(check: { url?: unknown; host?: unknown }): TargetInfo {
  if (typeof check.url === "string") return urlTarget(check.url);
  if (typeof check.host === "string") return hostTarget(check.host, false);
  return { hosts: [], tls: false, hostIsIp: false };
}
