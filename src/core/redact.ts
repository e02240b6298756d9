/**
 * Removes targets from free text before it is stored, shown or sent in an alert.
 * RPC providers put API keys in URLs and private monitors must not reveal where a node lives,
 * so error messages, alert bodies and logs go through here. Pure and runtime-free.
 */

// scheme://anything-up-to-whitespace-or-quote (covers userinfo, query keys and fragments).
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
// A query string left after a path (`/status?apikey=…`): RPC keys travel there.
const QUERY_RE = /\?[A-Za-z0-9_.~%-]+=[^\s"'<>`]*/g;
// Bracketed IPv6 with optional port: [::1]:7777, [2001:db8::1].
const BRACKETED_IPV6_RE = /\[[0-9a-f:.]+\](?::\d{1,5})?/gi;
// Bare IPv6: the full 8-group form, or any form with "::" that has a hex group on one side.
// Requiring "::" or eight groups keeps clock times such as 12:14:26 intact.
const FULL_IPV6_RE = /(?<![\w:.])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/gi;
const SHORT_IPV6_RE =
  /(?<![\w:.])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])/gi;
// IPv4 with optional port. Four dotted parts, so versions like 1.5.8 survive.
const IPV4_RE = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.])/g;
// host:port where the host is localhost or has a dot (node.example.com:8888).
const HOST_PORT_RE = /(?<![\w.-])(?:localhost|(?:[a-z0-9-]+\.)+[a-z0-9-]+):\d{1,5}(?!\w)/gi;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Replaces URLs, query strings, IP addresses, host:port pairs and the given known hosts with
 * placeholders.
 * `knownHosts` are matched literally (case-insensitive), e.g. the probed URL's hostname, so a bare
 * hostname in a runtime error message is caught too.
 */
export function redactUrls(text: string, knownHosts: readonly string[] = []): string {
  let out = text.replace(URL_RE, "<url>").replace(QUERY_RE, "?<query>");
  for (const host of knownHosts) {
    // Very short "hosts" would shred ordinary words; a real hostname or IP is longer.
    if (host.length < 3) continue;
    out = out.replace(new RegExp(`${escapeRe(host)}(?::\\d{1,5})?`, "gi"), "<host>");
  }
  return out
    .replace(BRACKETED_IPV6_RE, "<ip>")
    .replace(FULL_IPV6_RE, "<ip>")
    .replace(SHORT_IPV6_RE, (m) => (m === "::" ? m : "<ip>"))
    .replace(IPV4_RE, "<ip>")
    .replace(HOST_PORT_RE, "<host>");
}
