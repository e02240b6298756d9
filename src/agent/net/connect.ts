import { isIP, connect as netConnect, type Socket } from "node:net";
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from "node:tls";

/**
 * Opens a TCP (or TLS) connection under an abort signal: the socket is destroyed when the signal
 * fires, so a peer that never answers holds nothing past the probe's deadline. Resolves once the
 * connection (and for TLS the handshake) is complete.
 */
export function connectTcp(host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return opened(netConnect({ host: bare(host), port }), "connect", signal);
}

export function connectTls(options: ConnectionOptions, signal: AbortSignal): Promise<TLSSocket> {
  const host = options.host === undefined ? undefined : bare(options.host);
  // SNI must be a host name: none for an IP literal (RFC 6066 §3).
  const servername = options.servername ?? (host && isIP(host) === 0 ? host : undefined);
  return opened(tlsConnect({ ...options, host, servername }), "secureConnect", signal);
}

/** [::1] → ::1 (URL hostnames keep their brackets; sockets want the bare address). */
export function bare(host: string): string {
  return host.replace(/^\[(.*)\]$/, "$1");
}

function opened<S extends Socket>(
  socket: S,
  event: "connect" | "secureConnect",
  signal: AbortSignal,
): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("error", (err) => {
      signal.removeEventListener("abort", onAbort);
      reject(err);
    });
    socket.once(event, () => {
      signal.removeEventListener("abort", onAbort);
      // Later errors (reset after open) are reported by whoever reads; never unhandled.
      socket.on("error", () => {});
      resolve(socket);
    });
    // Destroy with the probe, whatever happens after opening.
    signal.addEventListener("abort", () => socket.destroy(), { once: true });
  });
}
