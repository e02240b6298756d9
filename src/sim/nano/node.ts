import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { GARBAGE_PAGE } from "../fault-responses.ts";
import { createMemberHttpServer, readBody } from "../generic/faulty-http.ts";
import { DEFAULT_DELAY_MS, SimMember } from "../generic/member.ts";
import type { NanoFaultSpec, NanoNetwork, SimNanoInfo, SimNanoSpec } from "../types.ts";
import { type NanoCounts, NanoLedger } from "./ledger.ts";
import * as payload from "./payloads.ts";
import { type NanoRepresentatives, representativesOf } from "./representatives.ts";
import { NANO_DEFAULTS, parseNanoFault, type ResolvedNanoSpec, resolveNanoSpec } from "./spec.ts";
import { acceptHandshake, WsConnection } from "./websocket.ts";

type NanoPort = "rpc" | "proxy" | "ws";
const PORTS: readonly NanoPort[] = ["rpc", "proxy", "ws"];

/** NanoRPCProxy's rate limiter (settings.json.default): 5000 requests a day per IP. */
const PROXY_REQUEST_LIMIT = 5000;
const PROXY_WINDOW_MS = 86_400_000;
const WS_MAX_MESSAGE = 64 * 1024;

interface CacheEntry {
  expires: number;
  data: Record<string, unknown>;
}

export interface SimNanoOptions {
  host: string;
  /** Shared by every node of the fleet, so healthy nodes agree on the network's count. */
  t0: number;
}

/**
 * A simulated Nano node with NanoRPCProxy in front of it (CHAINS.md B): the node's RPC (every
 * value a string, errors as HTTP 200 `{"error": …}`), the proxy's `/proxy` (allowed actions,
 * block_count cached for 30 s, 429 and 500 the way the proxy sends them) and the node's WebSocket
 * (`{"action":"ping"}` → `{"ack":"pong","time":…}`, RFC 6455 implemented in websocket.ts).
 */
export class SimNanoNode extends SimMember<NanoFaultSpec, NanoPort, SimNanoInfo> {
  readonly kind = "nano";
  readonly network: NanoNetwork;
  readonly nodeVersion: string;
  readonly peerCount: number;
  readonly cacheSec: number;
  readonly onlineCacheSec: number;
  /** The network's representatives (shared by its nodes). */
  readonly representatives: NanoRepresentatives;
  readonly allowedActions: ReadonlySet<string>;
  readonly ledger: NanoLedger;
  private readonly startedAt = Date.now();
  /** Where a stalled node stopped. */
  private frozenCemented: number | undefined;
  /** The proxy's cache: per action, like NanoRPCProxy's node-cache. */
  private readonly cache = new Map<string, CacheEntry>();
  private proxyRequests = 0;
  private proxyWindowStart = Date.now();
  private readonly sockets = new Set<WsConnection>();

  static async start(spec: SimNanoSpec, options: SimNanoOptions): Promise<SimNanoNode> {
    const node = new SimNanoNode(resolveNanoSpec(spec), options);
    await node.open();
    return node;
  }

  private constructor(spec: ResolvedNanoSpec, options: SimNanoOptions) {
    super(spec.id, options.host, PORTS, spec.ports, spec.fault);
    this.network = spec.network;
    this.nodeVersion = spec.nodeVersion;
    this.peerCount = spec.peers;
    this.cacheSec = spec.cacheSec;
    this.onlineCacheSec = spec.onlineCacheSec;
    this.representatives = representativesOf(spec.network, options.t0);
    if (spec.representative)
      this.representatives.join(
        spec.representative.account,
        spec.representative.weightNano,
        spec.representative.online,
      );
    this.allowedActions = new Set(spec.allowedActions);
    this.ledger = new NanoLedger({
      t0: options.t0,
      startCemented: spec.startCemented,
      blocksPerSec: spec.blocksPerSec,
    });
    // A node that starts stalled stopped a minute before the fleet started.
    if (spec.fault.fault === "stalled") {
      this.frozenCemented = this.ledger.cementedAt(options.t0 - 60_000);
    }
    this.attach(
      "rpc",
      createMemberHttpServer(this, "rpc", (req, res, fault) => this.handleRpc(req, res, fault)),
    );
    this.attach(
      "proxy",
      createMemberHttpServer(this, "proxy", (req, res, fault) => this.handleProxy(req, res, fault)),
    );
    const ws = createServer((req, res) => {
      res.once("close", this.counters.begin("ws", req.headers["user-agent"]));
      req.resume();
      res.writeHead(426, { "content-type": "text/plain", upgrade: "websocket", connection: "close" });
      res.end("Upgrade Required");
    });
    ws.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.handleUpgrade(req, socket, head),
    );
    this.attach("ws", ws);
  }

  info(): SimNanoInfo {
    const now = Date.now();
    return {
      kind: "nano",
      id: this.id,
      host: this.host,
      ports: this.ports,
      fault: this.fault,
      network: this.network,
      cemented: this.countsUnder(this.faultFor(undefined), now).cemented,
      networkCemented: this.ledger.cementedAt(now),
      blocksPerSec: this.ledger.blocksPerSec,
      cacheSec: this.cacheSec,
    };
  }

  protected parseFault(body: unknown): NanoFaultSpec {
    return parseNanoFault(body);
  }

  protected override onFaultChange(previous: NanoFaultSpec, next: NanoFaultSpec): void {
    // Freeze what the node showed a moment ago (a lagging node stalls where it lagged).
    this.frozenCemented =
      next.fault === "stalled" ? this.countsUnder(previous, Date.now()).cemented : undefined;
    // The new fault shows at once; the cache's own 30 s effect is there between switches.
    this.cache.clear();
    if (next.fault === "refusing" && next.userAgentContains === undefined) {
      for (const ws of this.sockets) ws.close(1001, "going away");
    }
  }

  /** block_count under a fault, as the node itself reports it. */
  countsUnder(fault: NanoFaultSpec, now: number): NanoCounts {
    switch (fault.fault) {
      case "stalled":
        return this.ledger.countsAt(this.frozenCemented ?? this.ledger.cementedAt(now));
      case "lagging":
        return this.ledger.countsAt(this.ledger.cementedAt(now, fault.lagBlocks ?? NANO_DEFAULTS.lagBlocks));
      default:
        return this.ledger.countsAt(this.ledger.cementedAt(now));
    }
  }

  private identity(fault: NanoFaultSpec): payload.NodeIdentity {
    const network: NanoNetwork =
      fault.fault === "wrong-network" ? (this.network === "live" ? "beta" : "live") : this.network;
    return {
      network,
      nodeVersion: this.nodeVersion,
      protocolVersion: payload.protocolVersionOf(this.nodeVersion),
    };
  }

  /** The node's answer to one RPC request (what json_handler.cpp would write). */
  answer(request: Record<string, unknown>, fault: NanoFaultSpec, now: number): Record<string, unknown> {
    const id = this.identity(fault);
    const flag = (name: string) => request[name] === "true" || request[name] === true;
    switch (request.action) {
      case "block_count":
        return payload.blockCount(this.countsUnder(fault, now));
      case "version":
        return payload.version(id);
      case "uptime":
        return { seconds: payload.s(Math.floor((now - this.startedAt) / 1000)) };
      case "peers":
        return payload.peers(this.peerCount, id.protocolVersion, flag("peer_details"));
      case "confirmation_quorum":
        return payload.confirmationQuorum(this.peerCount);
      case "representatives_online": {
        const online = this.representatives.online();
        if (!flag("weight")) return { representatives: online.map((r) => r.account) };
        return {
          representatives: Object.fromEntries(
            online.map((r) => [r.account, { weight: r.weightRaw.toString() }]),
          ),
        };
      }
      case "account_weight": {
        if (typeof request.account !== "string") return { error: "Bad account number" };
        return { weight: this.representatives.weightOf(request.account).toString() };
      }
      case "telemetry": {
        const uptime = Math.floor((now - this.startedAt) / 1000);
        // With the node's own loopback address and port: its own telemetry; else the peers' summary.
        const own = request.address !== undefined;
        const counts = own ? this.countsUnder(fault, now) : this.ledger.countsAt(this.ledger.cementedAt(now));
        const summary = payload.telemetry(id, counts, this.peerCount, uptime, now);
        if (flag("raw")) return { metrics: [{ ...summary, address: "::ffff:10.0.0.7", port: "7075" }] };
        return summary;
      }
      default:
        return { error: "Unknown command" };
    }
  }

  // --- node RPC (7076) ---------------------------------------------------------------------

  private handleRpc(req: IncomingMessage, res: ServerResponse, fault: NanoFaultSpec): void {
    const send = (body: unknown) => {
      const text = payload.boostJson(body);
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
        connection: "close",
        "access-control-allow-origin": "*",
      });
      res.end(text);
    };
    if (req.method === "OPTIONS") {
      req.resume();
      res.writeHead(200, { allow: "POST, OPTIONS", "access-control-allow-methods": "POST, OPTIONS" }).end();
      return;
    }
    if (req.method !== "POST") {
      req.resume();
      send({ error: "Can only POST requests" });
      return;
    }
    readBody(req).then(
      (text) => {
        if (res.destroyed) return;
        let request: unknown;
        try {
          request = JSON.parse(text);
        } catch {
          send({ error: "Unable to parse JSON" });
          return;
        }
        if (typeof request !== "object" || request === null || Array.isArray(request)) {
          send({ error: "Unable to parse JSON" });
          return;
        }
        send(this.answer(request as Record<string, unknown>, fault, Date.now()));
      },
      () => res.destroy(),
    );
  }

  // --- NanoRPCProxy (9950, /proxy) ---------------------------------------------------------

  private handleProxy(req: IncomingMessage, res: ServerResponse, fault: NanoFaultSpec): void {
    const url = new URL(req.url ?? "/", "http://proxy");
    const method = req.method ?? "GET";
    if (url.pathname !== "/proxy" || (method !== "GET" && method !== "POST")) {
      req.resume();
      if (url.pathname === "/" && method === "GET") {
        sendHtml(
          res,
          200,
          `<html lang="en"><head><title>RPCProxy API</title></head><body><h4>Bad API path</h4><p></p></body></html>`,
        );
      } else {
        sendHtml(res, 404, expressNotFound(method, url.pathname));
      }
      return;
    }
    const now = Date.now();
    if (now - this.proxyWindowStart > PROXY_WINDOW_MS) {
      this.proxyWindowStart = now;
      this.proxyRequests = 0;
    }
    const reset = new Date(this.proxyWindowStart + PROXY_WINDOW_MS);
    if (fault.fault === "rate-limited") {
      req.resume();
      const left = Math.round((reset.getTime() - now) / 1000);
      res.setHeader("x-ratelimit-limit", String(PROXY_REQUEST_LIMIT));
      res.setHeader("x-ratelimit-remaining", "0");
      res.setHeader("x-ratelimit-reset", String(reset));
      sendHtml(res, 429, `Max allowed requests of ${PROXY_REQUEST_LIMIT} reached. Time left: ${left}sec`);
      return;
    }
    this.proxyRequests += 1;
    const remaining = Math.max(0, PROXY_REQUEST_LIMIT - this.proxyRequests);
    res.setHeader("x-ratelimit-limit", String(PROXY_REQUEST_LIMIT));
    res.setHeader("x-ratelimit-remaining", String(remaining));
    res.setHeader("x-ratelimit-reset", String(reset));
    const withLimits = (data: Record<string, unknown>) => ({
      ...data,
      requestsLimit: String(PROXY_REQUEST_LIMIT),
      requestsRemaining: String(remaining),
      requestLimitReset: String(reset),
    });

    const respond = (query: Record<string, unknown>) => {
      const action = query.action;
      const blocked =
        fault.fault === "action-blocked" ? (fault.action ?? NANO_DEFAULTS.blockedAction) : undefined;
      if (typeof action !== "string" || !this.allowedActions.has(action) || action === blocked) {
        sendExpressJson(res, 500, { error: `Action ${String(action)} not allowed` });
        return;
      }
      const cacheSec =
        action === "block_count"
          ? this.cacheSec
          : action === "representatives_online"
            ? this.onlineCacheSec
            : 0;
      const cacheKey = `${action}|${String(query.weight ?? "")}`;
      const cached = this.cache.get(cacheKey);
      if (cacheSec > 0 && cached !== undefined && cached.expires > now) {
        sendExpressJson(res, 200, withLimits(cached.data));
        return;
      }
      const data = this.answer(query, fault, now);
      if (cacheSec > 0) this.cache.set(cacheKey, { expires: now + cacheSec * 1000, data });
      sendExpressJson(res, 200, withLimits(data));
    };

    if (method === "GET") {
      req.resume();
      respond(Object.fromEntries(url.searchParams));
      return;
    }
    readBody(req).then(
      (text) => {
        if (res.destroyed) return;
        let query: unknown = {};
        if (text.trim() !== "") {
          try {
            query = JSON.parse(text);
          } catch (error) {
            // express.json answers a SyntaxError with 400 and its message.
            sendExpressJson(res, 400, { error: (error as Error).message });
            return;
          }
        }
        respond(typeof query === "object" && query !== null ? (query as Record<string, unknown>) : {});
      },
      () => res.destroy(),
    );
  }

  // --- WebSocket (7078) --------------------------------------------------------------------

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const userAgent = req.headers["user-agent"];
    socket.once("close", this.counters.begin("ws", userAgent));
    socket.on("error", () => {});
    const fault = this.faultFor(userAgent);
    if (fault.fault === "refusing") {
      socket.destroy();
      return;
    }
    if (!acceptHandshake(req, socket)) return;
    const ws = new WsConnection(socket, head, {
      maxMessageBytes: WS_MAX_MESSAGE,
      // hung: upgraded, then nothing answers, not even a protocol-level ping.
      silent: fault.fault === "hung",
    });
    this.sockets.add(ws);
    socket.once("close", () => this.sockets.delete(ws));
    if (fault.fault === "hung") return;
    ws.onText = (text) => {
      const reply = fault.fault === "garbage" ? GARBAGE_PAGE : this.wsAnswer(text);
      if (reply === undefined) return;
      if (fault.fault === "slow") {
        const timer = this.timers.after(fault.delayMs ?? DEFAULT_DELAY_MS, () => ws.sendText(reply));
        socket.once("close", () => this.timers.cancel(timer));
      } else {
        ws.sendText(reply);
      }
    };
  }

  /** The node's answer to a WebSocket message (node/websocket.cpp); malformed input is ignored. */
  private wsAnswer(text: string): string | undefined {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof message !== "object" || message === null) return undefined;
    const { action, id, ack } = message as Record<string, unknown>;
    const time = String(Date.now());
    const withId = (body: Record<string, string>) =>
      typeof id === "string" ? payload.boostJson({ ...body, id }) : payload.boostJson(body);
    // The node always acknowledges a ping; other actions only when asked to (ack: true).
    if (action === "ping") return withId({ ack: "pong", time });
    if ((action === "subscribe" || action === "unsubscribe" || action === "update") && ack === true) {
      return withId({ ack: action, time });
    }
    return undefined;
  }
}

function sendHtml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** express's res.json: compact JSON, charset in the content type. */
function sendExpressJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function expressNotFound(method: string, path: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${path}</pre>\n</body>\n</html>\n`;
}
