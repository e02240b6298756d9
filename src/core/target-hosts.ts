/**
 * The host names a check points at (URL host or `host`), with and without IPv6 brackets: what must
 * never appear in anything public about a non-public monitor.
 */
export function hostsOf(check: { kind?: string; url?: unknown; host?: unknown }): string[] {
  let host: string | undefined;
  if (typeof check.url === "string") {
    try {
      host = new URL(check.url).hostname;
    } catch {
      host = undefined;
    }
  } else if (typeof check.host === "string") {
    host = check.host;
  }
  if (!host) return [];
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  return bare === host ? [host] : [host, bare];
}
