/** Fields of a check that hold a URL, or a list of them (validator kinds ask several endpoints). */
const URL_FIELDS = ["url", "nodeStatusUrl", "rpc", "nodes"] as const;

/**
 * The host names a check points at (URL hosts or `host`), with and without IPv6 brackets: what must
 * never appear in anything public about a non-public monitor.
 */
export function hostsOf(check: { kind?: string; host?: unknown; [field: string]: unknown }): string[] {
  const hosts = new Set<string>();
  const add = (host: string) => {
    if (!host) return;
    hosts.add(host);
    hosts.add(host.replace(/^\[(.*)\]$/, "$1"));
  };
  for (const field of URL_FIELDS) {
    const value = check[field];
    for (const url of Array.isArray(value) ? value : [value]) {
      if (typeof url !== "string") continue;
      try {
        add(new URL(url).hostname);
      } catch {
        // not a URL: nothing to hide
      }
    }
  }
  if (typeof check.host === "string") add(check.host);
  return [...hosts];
}
