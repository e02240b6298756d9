import type { IncomingMessage } from "node:http";
import { request } from "node:https";
import { ProbeFailure } from "../../probes/failure.ts";
import { bare } from "./connect.ts";

export interface MtlsPost {
  url: URL;
  body: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  userAgent: string;
  maxBodyBytes: number;
}

export interface MtlsAnswer {
  status: number;
  text: string;
  /** Time from the probe's start to the response headers. */
  latencyMs: number;
}

/**
 * HTTPS POST with a client certificate, verifying the server against a private CA but not its
 * host name — exactly what Chia's own clients do (`check_hostname = False`): the node's certificate
 * is issued by its own CA for "localhost"-ish names whatever address it is reached at.
 */
export function mtlsPost(req: MtlsPost, signal: AbortSignal, elapsed: () => number): Promise<MtlsAnswer> {
  return new Promise<MtlsAnswer>((resolve, reject) => {
    const r = request(
      {
        host: bare(req.url.hostname),
        port: req.url.port || 443,
        path: `${req.url.pathname}${req.url.search}`,
        method: "POST",
        ca: req.ca,
        cert: req.cert,
        key: req.key,
        rejectUnauthorized: true,
        checkServerIdentity: () => undefined,
        servername: "",
        agent: false,
        signal,
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          "user-agent": req.userAgent,
          "content-length": Buffer.byteLength(req.body),
        },
      },
      (res: IncomingMessage) => {
        const latencyMs = elapsed();
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > req.maxBodyBytes) {
          res.destroy();
          return reject(new ProbeFailure("too_large", `body exceeds ${req.maxBodyBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on("data", (c: Buffer) => {
          total += c.length;
          if (total > req.maxBodyBytes) {
            res.destroy();
            reject(new ProbeFailure("too_large", `body exceeds ${req.maxBodyBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), latencyMs }),
        );
        res.on("error", reject);
        res.on("aborted", () =>
          reject(new ProbeFailure("bad_body", "connection lost while reading the body")),
        );
      },
    );
    r.on("error", (err: NodeJS.ErrnoException) => {
      // With mutual TLS a node that refuses our certificate just closes the connection.
      if (err.code === "ECONNRESET" || /socket hang up/i.test(err.message)) {
        reject(
          new ProbeFailure(
            "tls",
            "connection closed during the TLS exchange: the node may not accept this client certificate",
          ),
        );
      } else reject(err);
    });
    r.end(req.body);
  });
}
