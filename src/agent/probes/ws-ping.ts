import { randomBytes } from "node:crypto";
import type { CheckOf } from "../../core/kinds/index.ts";
import type { ProbeResult } from "../../core/result.ts";
import type { Probe } from "../../probes/contract.ts";
import { ProbeFailure } from "../../probes/failure.ts";
import { okResult } from "../../probes/outcome.ts";
import { loadChiaTls } from "../net/chia-tls.ts";
import { connectTcp, connectTls } from "../net/connect.ts";
import { openWebSocket } from "../net/ws-client.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Messages read while waiting for the answer before giving up (a busy node pushes others). */
const MAX_MESSAGES = 50;

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProbeFailure("bad_body", "WebSocket message is not JSON");
  }
}

/**
 * Chia daemon WebSocket (wss, port 55400) over the same private-CA mutual TLS as the RPC ports:
 * `ping` must come back as `{"success": true, "value": "pong"}` for our request id.
 */
export const chiaDaemonProbe: Probe<CheckOf<"chia-daemon">> = async (check, run) => {
  const { options, deadline } = run;
  const tls = await loadChiaTls(check, "daemon");
  const url = new URL(check.url);
  const socket = await connectTls(
    {
      host: url.hostname,
      port: Number(url.port || 55400),
      ...tls,
      rejectUnauthorized: true,
      checkServerIdentity: () => undefined,
    },
    deadline.signal,
  );
  try {
    const ws = await openWebSocket(socket, url, deadline.signal, {
      maxMessageBytes: check.maxMessageBytes,
      headers: { "User-Agent": options.userAgent },
    });
    const requestId = randomBytes(8).toString("hex");
    ws.sendText(
      JSON.stringify({
        command: "ping",
        ack: false,
        data: {},
        request_id: requestId,
        destination: "daemon",
        origin: "chain_uptime_agent",
      }),
    );
    for (let i = 0; i < MAX_MESSAGES; i++) {
      const msg = json(await ws.nextText(deadline.signal));
      if (!isObj(msg) || msg.request_id !== requestId) continue;
      const latencyMs = deadline.elapsed();
      run.latencyMs = latencyMs;
      const data = isObj(msg.data) ? msg.data : {};
      if (data.success === true && data.value === "pong") {
        ws.close();
        return okResult(latencyMs);
      }
      const error = typeof data.error === "string" ? `: ${data.error.slice(0, 120)}` : "";
      throw new ProbeFailure("protocol", `daemon did not answer ping with pong${error}`);
    }
    throw new ProbeFailure("protocol", `no answer to ping among ${MAX_MESSAGES} messages`);
  } finally {
    socket.destroy();
  }
};

/** The Worker's `nano-ws` check shape (src/core/config/checks-nano-generic.ts). */
export interface NanoWsShape {
  kind: "nano-ws";
  url: string;
  headers?: Record<string, unknown>;
  pongWithinMs?: number;
  maxBytes?: number;
}

/**
 * Nano WebSocket (port 7078) from the agent's host — the node binds ::1 by default, so often only
 * the agent can reach it: `{"action":"ping"}` must be answered `"ack":"pong"` within pongWithinMs.
 */
export const nanoWsProbe: Probe<NanoWsShape> = async (check, run) => {
  const { options, deadline } = run;
  const url = new URL(check.url);
  const secure = url.protocol === "wss:";
  const port = Number(url.port || (secure ? 443 : 80));
  const socket = secure
    ? await connectTls({ host: url.hostname, port }, deadline.signal)
    : await connectTcp(url.hostname, port, deadline.signal);
  try {
    const ws = await openWebSocket(socket, url, deadline.signal, {
      maxMessageBytes: check.maxBytes ?? 262_144,
      headers: { "User-Agent": options.userAgent, ...(options.headers ?? {}) },
    });
    ws.sendText(JSON.stringify({ action: "ping" }));
    const window = AbortSignal.any([deadline.signal, AbortSignal.timeout(check.pongWithinMs ?? 5000)]);
    const result = await waitForPong(ws, window, deadline.elapsed);
    ws.close();
    const latencyMs = result.latencyMs;
    run.latencyMs = latencyMs;
    return result;
  } finally {
    socket.destroy();
  }
};

async function waitForPong(
  ws: Awaited<ReturnType<typeof openWebSocket>>,
  signal: AbortSignal,
  elapsed: () => number,
): Promise<ProbeResult> {
  for (let i = 0; i < MAX_MESSAGES; i++) {
    const msg = json(await ws.nextText(signal));
    if (isObj(msg) && msg.ack === "pong") return okResult(elapsed());
  }
  throw new ProbeFailure("protocol", `no pong among ${MAX_MESSAGES} messages`);
}
