import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { DetailedPeerCertificate } from "node:tls";
import type { CertFacts } from "../../core/agent/facts.ts";
import type { CheckOf } from "../../core/kinds/index.ts";
import type { Probe } from "../../probes/contract.ts";
import { ProbeFailure } from "../../probes/failure.ts";
import { okResult } from "../../probes/outcome.ts";
import { connectTls } from "../net/connect.ts";

const DAY = 86_400_000;
const MAX_CHAIN = 10;

/** The chain as the server sent it (leaf first), without repeats; a self-signed root points at itself. */
function chainOf(peer: DetailedPeerCertificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  for (
    let c: DetailedPeerCertificate | undefined = peer;
    c?.raw && out.length < MAX_CHAIN;
    c = c.issuerCertificate
  ) {
    if (seen.has(c.fingerprint256)) break;
    seen.add(c.fingerprint256);
    out.push(new X509Certificate(c.raw));
  }
  return out;
}

const ago = (ms: number) => {
  const d = Math.floor(ms / DAY);
  return d === 0 ? "less than a day ago" : `${d} day${d === 1 ? "" : "s"} ago`;
};

const firstCn = (dn: string) => /(?:^|\n)CN=([^\n]*)/.exec(dn)?.[1] ?? dn.split("\n")[0] ?? "";

/**
 * Connects with TLS and inspects the certificate chain the server presents, trusted or not:
 * leaf and earliest expiry in the chain, issuer, SANs, self-signed or not, and whether the chain
 * verifies (against caFile or the system roots, host name included). An expired or not yet valid
 * certificate fails the probe (`tls`); how many days are left is judged by the evaluator against
 * warnDays and criticalDays.
 */
export const tlsCertProbe: Probe<CheckOf<"tls-cert">> = async (check, run) => {
  const { deadline } = run;
  const ca = check.caFile ? await readCa(check.caFile) : undefined;
  const socket = await connectTls(
    { host: check.host, port: check.port, servername: check.servername, ca, rejectUnauthorized: false },
    deadline.signal,
  );
  const latencyMs = deadline.elapsed();
  const peer = socket.getPeerCertificate(true);
  const trusted = socket.authorized;
  socket.destroy();
  if (!peer?.raw) throw new ProbeFailure("tls", "server presented no certificate");
  const chain = chainOf(peer);
  const leaf = chain[0] as X509Certificate;
  const now = Date.now();
  for (const [i, c] of chain.entries()) {
    const what = i === 0 ? "certificate" : `chain certificate ${i} (${firstCn(c.subject).slice(0, 60)})`;
    const from = Date.parse(c.validFrom);
    const to = Date.parse(c.validTo);
    if (now > to) throw new ProbeFailure("tls", `${what} expired ${ago(now - to)}`);
    if (now < from)
      throw new ProbeFailure("tls", `${what} is not valid before ${new Date(from).toISOString()}`);
  }
  const notAfter = Date.parse(leaf.validTo);
  const earliestNotAfter = Math.min(...chain.map((c) => Date.parse(c.validTo)));
  const round = (d: number) => Math.round(d * 100) / 100;
  const cert: CertFacts = {
    subject: leaf.subject.replace(/\n/g, ", ").slice(0, 300),
    issuer: leaf.issuer.replace(/\n/g, ", ").slice(0, 300),
    notAfter,
    daysLeft: round((notAfter - now) / DAY),
    earliestNotAfter,
    earliestDaysLeft: round((earliestNotAfter - now) / DAY),
    sans: (leaf.subjectAltName ?? "")
      .split(", ")
      .filter(Boolean)
      .slice(0, 50)
      .map((s) => s.slice(0, 260)),
    selfSigned: leaf.subject === leaf.issuer && leaf.verify(leaf.publicKey),
    chainLength: chain.length,
    trusted,
    fingerprint256: leaf.fingerprint256,
  };
  return okResult(latencyMs, { cert });
};

async function readCa(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new ProbeFailure("config", `cannot read caFile (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}
