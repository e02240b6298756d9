import { createSocket, type Socket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ProbeFailure } from "../../probes/failure.ts";
import { bare } from "./connect.ts";

export type UdpOutcome = { kind: "reply"; data: Buffer; latencyMs: number } | { kind: "silence" };

/**
 * Sends one datagram on a *connected* UDP socket and waits for the answer. Connecting matters: only
 * then does the kernel hand an ICMP port-unreachable back to us, as ECONNREFUSED — the one way UDP
 * can say "closed". A reply resolves `reply`; ECONNREFUSED throws `refused`; nothing until the
 * signal fires resolves `silence`, which proves nothing either way.
 */
export async function udpExchange(
  host: string,
  port: number,
  payload: Buffer,
  signal: AbortSignal,
  startedAt: number,
  accept: (data: Buffer) => boolean = () => true,
): Promise<UdpOutcome> {
  const address = isIP(bare(host)) ? bare(host) : (await lookup(bare(host))).address;
  const socket: Socket = createSocket(isIP(address) === 6 ? "udp6" : "udp4");
  try {
    return await new Promise<UdpOutcome>((resolve, reject) => {
      const onAbort = () => resolve({ kind: "silence" });
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      socket.on("error", (err: NodeJS.ErrnoException) => {
        signal.removeEventListener("abort", onAbort);
        reject(
          err.code === "ECONNREFUSED"
            ? new ProbeFailure("refused", "port unreachable (ICMP): nothing listens on this UDP port")
            : err,
        );
      });
      socket.on("message", (data) => {
        if (!accept(data)) return;
        signal.removeEventListener("abort", onAbort);
        resolve({ kind: "reply", data, latencyMs: Math.round(performance.now() - startedAt) });
      });
      socket.connect(port, address, () => {
        socket.send(payload, (err) => {
          if (err) socket.emit("error", err);
        });
      });
    });
  } finally {
    try {
      socket.close();
    } catch {}
  }
}
