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

/** Where any check goes: URL-based kinds by their URL, host-based kinds by their host. */
export function targetOf(check: { url?: unknown; host?: unknown }): TargetInfo {
  if (typeof check.url === "string") return targetOfUrl(check.url);
  if (typeof check.host === "string") return targetOfHost(check.host, false);
  return NOWHERE;
}

/** For URL-based checks of any kind; wss counts as TLS like https. */
export function targetOfUrl(raw: string): TargetInfo {
  try {
    const url = new URL(raw);
    return targetOfHost(url.hostname, url.protocol === "https:" || url.protocol === "wss:");
  } catch {
    return NOWHERE;
  }
}

export function targetOfHost(host: string, tls: boolean): TargetInfo {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  return { hosts: bare === host ? [host] : [host, bare], tls, hostIsIp: IP_LITERAL.test(bare) };
}
