import type { IncomingMessage, ServerResponse } from "node:http";
import {
  buildApiVersionEvent,
  buildBlockAddedEvent,
  buildFinalitySignatureEvent,
} from "./casper-payloads.ts";
import { streamFiller } from "./fault-responses.ts";
import { sendText } from "./http-port.ts";
import type { RequestScope, SimNodeContext } from "./node-context.ts";
import type { FaultSpec } from "./types.ts";

/** event_stream_server.max_concurrent_subscribers default. */
const MAX_SUBSCRIBERS = 100;
/** Pace of the FinalitySignature flood (endless-sse) and of garbage lines. */
const CHATTER_MS = 200;
/** After a stall heals, replay at most this many missed blocks rather than a burst of thousands. */
const MAX_CATCH_UP_EVENTS = 10;
const KEPT_BLOCK_EVENT_IDS = 1000;

/** How a stream behaves; fixed for a stream's life (a fault switch to another mode drops the stream). */
export type StreamMode = "events" | "endless" | "garbage" | "huge" | "hung" | "reset";
/**
 * Which stream: the 1.x ones (2.0's single /events carries what /events/main does), or the
 * sidecar's /events/sidecar, which carries only its SidecarVersion.
 */
export type StreamKind = "main" | "deploys" | "sigs" | "sidecar";

/** What a hub streams: the node's own event server, or a sidecar relaying it. */
export interface SseSource {
  /** The stream a path opens; undefined answers 404 with `badPath`. */
  kindOf(pathname: string): StreamKind | undefined;
  readonly badPath: string;
  /** How a stream opened under this fault behaves. */
  modeFor(fault: FaultSpec): StreamMode;
  /** Events a stream opens with, written without ids. */
  greeting(kind: StreamKind): unknown[];
  /** Newest block a stream for this client has to announce. */
  heightFor(userAgent: string | undefined): number;
}

interface Subscriber {
  res: ServerResponse;
  userAgent: string | undefined;
  kind: StreamKind;
  mode: StreamMode;
  /** Newest block already announced; a stream never goes backwards, as a real node's doesn't. */
  lastHeight: number;
  keepAlive?: NodeJS.Timeout;
  chatter?: NodeJS.Timeout;
}

const PATHS_1X: Record<string, StreamKind> = {
  "/events/main": "main",
  "/events/deploys": "deploys",
  "/events/sigs": "sigs",
};
const PATHS_20: Record<string, StreamKind> = { "/events": "main" };
const BAD_PATH_1X = "invalid path: expected '/events/main', '/events/deploys' or '/events/sigs'\n";
const BAD_PATH_20 = "invalid path: expected '/events'\n";
const BAD_QUERY = "invalid query: expected single field 'start_from=<EVENT ID>'\n";

function nodeModeFor(fault: FaultSpec): StreamMode {
  switch (fault.fault) {
    case "garbage":
      return "garbage";
    case "huge":
      return "huge";
    case "endless-sse":
      return "endless";
    case "hung":
      return "hung";
    case "refusing":
      return "reset";
    default:
      return "events";
  }
}

/** The node's own event server (port 9999). */
export function nodeSseSource(node: SimNodeContext): SseSource {
  return {
    kindOf: (pathname) => (node.version === "1.5" ? PATHS_1X : PATHS_20)[pathname],
    badPath: node.version === "1.5" ? BAD_PATH_1X : BAD_PATH_20,
    modeFor: nodeModeFor,
    greeting: () => [buildApiVersionEvent(node)],
    heightFor: (userAgent) => node.scopeFor(userAgent).block.height,
  };
}

/**
 * An event stream port in warp's wire format (the node's 9999, or a sidecar's 19999): `data:{"ApiVersion":…}` first with no
 * id, then `data:<json>\nid:<n>\n\n` per event, `:` comments as keep-alive after silence. Blocks are
 * announced when produced, never on connect (`start_from` is accepted but nothing is replayed).
 */
export class SseHub {
  private readonly node: SimNodeContext;
  private readonly source: SseSource;
  private readonly subscribers = new Set<Subscriber>();
  private nextEventId = 1;
  /** Every stream announces a block under the same id, as a node's shared event index does. */
  private readonly blockEventIds = new Map<number, number>();

  constructor(node: SimNodeContext, source: SseSource = nodeSseSource(node)) {
    this.node = node;
    this.source = source;
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse, scope: RequestScope): void => {
    req.resume();
    const url = new URL(req.url ?? "/", "http://sim");
    const kind = this.source.kindOf(url.pathname);
    const refusal = this.refusalFor(kind, req.method, url.search);
    if (kind === undefined || refusal !== undefined) {
      sendText(res, refusal?.status ?? 404, refusal?.text ?? "");
      return;
    }

    const userAgent = req.headers["user-agent"];
    const sub: Subscriber = {
      res,
      userAgent,
      kind,
      mode: this.source.modeFor(scope.fault),
      lastHeight: this.source.heightFor(userAgent),
    };
    this.subscribers.add(sub);
    res.once("close", () => this.drop(sub));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });

    switch (sub.mode) {
      case "garbage":
        this.startGarbage(sub);
        return;
      case "huge":
        // One endless line: a client without a line-length limit buffers until it dies.
        streamFiller(res, "data:", undefined);
        return;
      case "endless":
        this.greet(sub);
        sub.chatter = this.node.timers.every(CHATTER_MS, () => {
          const height = this.node.scopeFor(sub.userAgent).block.height;
          const id = this.nextEventId++;
          this.sendEvent(sub, buildFinalitySignatureEvent(this.node, height, id), id);
        });
        return;
      default:
        this.greet(sub);
    }
  };

  /** warp's answers before a stream opens: bad path 404, not GET 405, bad query 422, too many subscribers 503. */
  private refusalFor(
    kind: StreamKind | undefined,
    method: string | undefined,
    search: string,
  ): { status: number; text: string } | undefined {
    if (kind === undefined) return { status: 404, text: this.source.badPath };
    if (method !== "GET") return { status: 405, text: "HTTP method not allowed" };
    if (search !== "" && !/^\?start_from=\d{1,10}$/.test(search)) return { status: 422, text: BAD_QUERY };
    if (this.subscribers.size >= MAX_SUBSCRIBERS) {
      return { status: 503, text: "server has reached limit of subscribers" };
    }
    return undefined;
  }

  /** The network produced a block: announce it on every stream whose node view moved forward. */
  onNewBlock(): void {
    for (const sub of this.subscribers) {
      if (sub.mode !== "events" || sub.kind === "deploys" || sub.kind === "sidecar") continue;
      const height = this.source.heightFor(sub.userAgent);
      if (height <= sub.lastHeight) continue;
      for (let h = Math.max(sub.lastHeight + 1, height - MAX_CATCH_UP_EVENTS + 1); h <= height; h++) {
        if (sub.kind === "main")
          this.sendEvent(sub, buildBlockAddedEvent(this.node, h), this.blockEventId(h));
        else this.sendEvent(sub, buildFinalitySignatureEvent(this.node, h, h), this.nextEventId++);
      }
      sub.lastHeight = height;
    }
  }

  /**
   * Streams opened under another fault drop (clients reconnect and meet the new behaviour); a
   * stream whose node now hangs just goes silent, with the connection left open.
   */
  onFaultChanged(): void {
    for (const sub of this.subscribers) {
      const mode = this.source.modeFor(this.node.scopeFor(sub.userAgent).fault);
      if (mode === sub.mode) continue;
      if (mode === "hung" && sub.mode !== "huge") {
        this.silence(sub);
        sub.mode = "hung";
      } else {
        sub.res.destroy();
      }
    }
  }

  /**
   * Writes an id-less event (a relayed ApiVersion) on every open block stream whose client
   * `to` selects; a relay does this when it reconnects to its node.
   */
  announce(event: unknown, to: (userAgent: string | undefined) => boolean): void {
    for (const sub of this.subscribers) {
      if (sub.mode !== "events" || sub.kind !== "main" || !to(sub.userAgent)) continue;
      this.send(sub, `data:${JSON.stringify(event)}\n\n`);
    }
  }

  closeAll(): void {
    for (const sub of this.subscribers) sub.res.destroy();
  }

  private startGarbage(sub: Subscriber): void {
    const lines = [
      "<html><head><title>502 Bad Gateway</title></head>\n",
      'data:{"BlockAdded":{"block_hash":\n\n',
      "this is not an event stream\n",
      "data:<center>nginx</center>\nid:not-a-number\n\n",
    ];
    let next = 0;
    const writeLine = () => this.write(sub, lines[next++ % lines.length] ?? "");
    writeLine();
    sub.chatter = this.node.timers.every(CHATTER_MS, writeLine);
  }

  private greet(sub: Subscriber): void {
    for (const event of this.source.greeting(sub.kind)) this.send(sub, `data:${JSON.stringify(event)}\n\n`);
  }

  private sendEvent(sub: Subscriber, event: unknown, id: number): void {
    this.send(sub, `data:${JSON.stringify(event)}\nid:${id}\n\n`);
  }

  /** Writes and restarts the keep-alive clock: warp sends `:` only after keepAliveMs of silence. */
  private send(sub: Subscriber, text: string): void {
    if (!this.write(sub, text)) return;
    this.node.timers.cancel(sub.keepAlive);
    sub.keepAlive = this.node.timers.after(this.node.keepAliveMs, () => this.send(sub, ":\n\n"));
  }

  private write(sub: Subscriber, text: string): boolean {
    if (sub.res.destroyed || sub.res.writableEnded) return false;
    sub.res.write(text);
    return true;
  }

  private blockEventId(height: number): number {
    let id = this.blockEventIds.get(height);
    if (id === undefined) {
      id = this.nextEventId++;
      this.blockEventIds.set(height, id);
      if (this.blockEventIds.size > KEPT_BLOCK_EVENT_IDS) {
        const oldest = this.blockEventIds.keys().next().value;
        if (oldest !== undefined) this.blockEventIds.delete(oldest);
      }
    }
    return id;
  }

  private silence(sub: Subscriber): void {
    this.node.timers.cancel(sub.keepAlive);
    this.node.timers.cancel(sub.chatter);
    sub.keepAlive = undefined;
    sub.chatter = undefined;
  }

  private drop(sub: Subscriber): void {
    this.silence(sub);
    this.subscribers.delete(sub);
  }
}
