import { hostsOf } from "../core/target-hosts.ts";

/** What classify() needs to know about where a probe went (never shown to anyone). */
export interface TargetInfo {
  /** Hostnames to redact literally. IPv6 hosts are listed with and without brackets. */
  hosts: string[];
  /** Whether the connection uses TLS (https, wss). */
  tls: boolean;
  /** Whether the host is an IP literal, so no DNS lookup was involved. */
  hostIsIp: boolean;
}

const IP_LITERAL = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:.]*:[0-9a-f:.]*)$/i;
const NOWHERE: TargetInfo = { hosts: [], tls: false, hostIsIp: false };

/**
 * Per check object: a loaded config's checks live as long as the isolate and are probed again and
 * again (parsing their URLs on every probe stood out in a CPU profile of the runner).
 */
const known = new WeakMap<object, TargetInfo>();

/** Where any check goes: URL-based kinds by their URL (wss counts as TLS like https), others by host. */
export function targetOf(check: { kind?: string; url?: unknown; host?: unknown }): TargetInfo {
  let target = known.get(check);
  if (!target) {
    target = Object.freeze(findTarget(check));
    known.set(check, target);
  }
  return target;
}

function findTarget(check: { kind?: string; url?: unknown; host?: unknown }): TargetInfo {
  const hosts = hostsOf(check);
  const bare = hosts.at(-1);
  if (bare === undefined) return NOWHERE;
  const tls = typeof check.url === "string" && /^(https|wss):/i.test(check.url);
  return { hosts, tls, hostIsIp: IP_LITERAL.test(bare) };
}
