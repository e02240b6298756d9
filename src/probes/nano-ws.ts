import type { NanoWsCheck } from "../core/kinds/nano-ws.ts";
import type { Probe } from "./contract.ts";
import { abortable, withTimeout } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";
import { okResult } from "./outcome.ts";

const EXPIRED = Symbol("pong window expired");
/** Messages read while waiting for the pong (a subscribed proxy may push notifications first). */
const MAX_MESSAGES = 100;

/**
 * The Nano node's WebSocket (7078, CHAINS.md B.3), from the Worker: an outbound WebSocket
 * (`fetch` with `Upgrade: websocket`, then `accept()`), `{"action":"ping"}`, and `"ack":"pong"`
 * within `pongWithinMs`; then the socket is closed. Latency is the time to the upgrade (like
 * time to headers elsewhere); the round trip of the ping is reported as metrics.pong_ms.
 *
 * No upgrade: an error status is http_status, a 200 page is protocol. No pong in the window is
 * a timeout; a close, a binary or non-JSON message before the pong is protocol; more than
 * `maxBytes` read is too_large.
 */
export const nanoWsProbe: Probe<NanoWsCheck> = async (check, run) => {
  const { options, deadline } = run;
  const headers = new Headers(options.headers);
  headers.set("upgrade", "websocket");
  headers.set("user-agent", options.userAgent);
  // fetch speaks http(s); the upgrade header makes it a WebSocket handshake.
  const url = check.url.replace(/^ws(s?):/i, "http$1:");
  deadline.enter("response");
  const res = await fetch(url, { headers, redirect: "manual", signal: deadline.signal });
  const latencyMs = deadline.elapsed();
  run.latencyMs = latencyMs;
  const socket = res.webSocket;
  if (!socket) {
    res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status <= 299;
    throw new ProbeFailure(
      ok ? "protocol" : "http_status",
      `no WebSocket upgrade: HTTP ${res.status}${ok ? " answered instead" : ""}`,
      res.status,
    );
  }
  run.defer(() => {
    try {
      socket.close(1000, "probe done");
    } catch {
      // Already closed by the peer.
    }
  });
  socket.accept();
  deadline.enter("event");
  const sentAt = deadline.elapsed();
  const pong = waitForPong(socket, check.maxBytes);
  socket.send(JSON.stringify({ action: "ping" }));
  const windowMs = Math.min(check.pongWithinMs, options.timeoutMs) - (deadline.elapsed() - sentAt);
  const answer = await withTimeout(abortable(pong, deadline.signal), windowMs, (): typeof EXPIRED => EXPIRED);
  if (answer === EXPIRED) throw new ProbeFailure("timeout", `no pong within ${check.pongWithinMs} ms`);
  deadline.done();
  return okResult(latencyMs, { metrics: { pong_ms: Math.max(0, deadline.elapsed() - sentAt) } });
};

/** Resolves at the first `{"ack":"pong"}`; rejects on anything that rules one out. */
function waitForPong(ws: WebSocket, maxBytes: number): Promise<true> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let messages = 0;
    ws.addEventListener("message", (ev: MessageEvent) => {
      const data: unknown = ev.data;
      if (typeof data !== "string") {
        reject(new ProbeFailure("protocol", "answered with a binary message, not JSON text"));
        return;
      }
      bytes += data.length;
      messages += 1;
      if (bytes > maxBytes) {
        reject(new ProbeFailure("too_large", `more than ${maxBytes} bytes before the pong`));
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        reject(
          new ProbeFailure("protocol", `answered with a message that is not JSON (${describeStart(data)})`),
        );
        return;
      }
      if (typeof json === "object" && json !== null && (json as { ack?: unknown }).ack === "pong") {
        resolve(true);
        return;
      }
      if (messages >= MAX_MESSAGES) {
        reject(new ProbeFailure("protocol", `${messages} messages without a pong`));
      }
    });
    ws.addEventListener("close", (ev: CloseEvent) => {
      reject(new ProbeFailure("protocol", `the WebSocket was closed before the pong (code ${ev.code})`));
    });
    ws.addEventListener("error", () => {
      reject(new ProbeFailure("protocol", "the WebSocket failed before the pong"));
    });
  });
}

function describeStart(raw: string): string {
  const printable = /^[\x20-\x7e]{1,24}/.exec(raw.trimStart())?.[0];
  return printable ? `starts with "${printable}"` : `${raw.length} chars, not text`;
}
