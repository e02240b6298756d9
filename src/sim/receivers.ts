import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { z } from "zod";
import { verifyStandardWebhook } from "../core/alerts/standard-webhooks.ts";
import { TrackedListener } from "./tracked-listener.ts";

/**
 * Loopback HTTP servers standing in for Slack, Discord, PagerDuty, Telegram's Bot API, ntfy and a
 * generic webhook consumer, for tests, the demo and the alert benchmark. One server; the first
 * path segment picks the kind (`/slack…`, `/discord…`, `/pagerduty…`, `/telegram…`, `/ntfy…`,
 * anything else is a webhook consumer), so a test can use several paths of one kind (`/slack/ops`,
 * `/slack/team`) with their own modes.
 *
 * Every request is recorded (headers, raw and parsed body, what was answered). Each path answers
 * like the real service (`ok`), or with `429` + `Retry-After` (Telegram: `parameters.retry_after`
 * in the body only, as the Bot API does), `500`, `hang` (never answers) or `reject` (the
 * service's 4xx for a chat or topic it refuses, with its reason; `rejectStatus`, default 400).
 *
 * Control API (JSON):
 *   GET  /_received[?path=/slack]   → ReceivedRequest[] in arrival order
 *   PUT  /_mode  {path, mode, retryAfterSec?, times?}  → 200 {path, mode, …}
 *        `times`: the mode applies to the next N requests on that path, then it is `ok` again
 *   GET  /_mode                     → {[path]: ModeSpec}
 *   POST /_reset                    → 204; forgets requests and modes, lets hung requests go (closes them)
 */

export type ReceiverKind = "slack" | "discord" | "pagerduty" | "telegram" | "ntfy" | "webhook";
export const RECEIVER_KINDS: readonly ReceiverKind[] = [
  "slack",
  "discord",
  "pagerduty",
  "telegram",
  "ntfy",
  "webhook",
];

export const ReceiverModeSchema = z.enum(["ok", "429", "500", "hang", "reject"]);
export type ReceiverMode = z.infer<typeof ReceiverModeSchema>;

export const ModeRequestSchema = z.strictObject({
  path: z.string().regex(/^\/(?!_)[^?#\s]*$/, "a path such as /slack (not a /_control path)"),
  mode: ReceiverModeSchema,
  retryAfterSec: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .optional()
    .describe("Retry-After for mode 429; default 1"),
  times: z.number().int().min(1).max(10_000).optional().describe("Apply to the next N requests only"),
  rejectStatus: z
    .union([z.literal(400), z.literal(401), z.literal(403), z.literal(404)])
    .optional()
    .describe("Status for mode reject; default 400"),
});
export type ModeRequest = z.infer<typeof ModeRequestSchema>;

export interface ModeSpec {
  mode: ReceiverMode;
  retryAfterSec?: number;
  rejectStatus?: number;
  /** Requests left before the path reverts to `ok`; absent = until changed. */
  remaining?: number;
}

export interface ReceivedRequest {
  /** Arrival order across all paths, from 1. */
  seq: number;
  kind: ReceiverKind;
  path: string;
  method: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  rawBody: string;
  /** JSON-parsed body, or undefined when it was not JSON. */
  body: unknown;
  receivedAt: number;
  mode: ReceiverMode;
  /** Status answered; absent for `hang`. */
  status?: number;
  /** Webhook paths with a `webhookSecret`: whether the Standard Webhooks signature verified. */
  signature?: "valid" | "invalid";
  /** Webhook paths: this `webhook-id` had already arrived and been answered 2xx before. */
  duplicate?: boolean;
}

export interface ReceiversOptions {
  /** Loopback interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (any free one). */
  port?: number;
  /** When set, webhook paths verify Standard Webhooks signatures and answer 401 when invalid. */
  webhookSecret?: string;
  /** Signature timestamp tolerance in seconds (default 300). */
  toleranceSec?: number;
  /** Largest request body accepted; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface Receivers {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** The default path per kind as full URLs: `${url}/slack` etc. */
  urls: Record<ReceiverKind, string>;
  received(path?: string): ReceivedRequest[];
  /** Resolves with the path's requests once at least `count` have arrived; rejects after `timeoutMs`. */
  waitFor(path: string, count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  setMode(request: ModeRequest): void;
  reset(): void;
  stop(): Promise<void>;
}

export function receiverKindOf(path: string): ReceiverKind {
  const first = path.split("/")[1] ?? "";
  return (RECEIVER_KINDS as readonly string[]).includes(first) ? (first as ReceiverKind) : "webhook";
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startReceivers(opts: ReceiversOptions = {}): Promise<Receivers> {
  const host = opts.host ?? "127.0.0.1";
  const maxBody = opts.maxBodyBytes ?? 1_048_576;
  const log: ReceivedRequest[] = [];
  const modes = new Map<string, ModeSpec>();
  const hung = new Set<ServerResponse>();
  const answeredIds = new Set<string>();
  let seq = 0;

  const setMode = (request: ModeRequest) => {
    const spec = ModeRequestSchema.parse(request);
    if (spec.mode === "ok" && spec.times === undefined) {
      modes.delete(spec.path);
      return;
    }
    const m: ModeSpec = { mode: spec.mode };
    if (spec.retryAfterSec !== undefined) m.retryAfterSec = spec.retryAfterSec;
    if (spec.rejectStatus !== undefined) m.rejectStatus = spec.rejectStatus;
    if (spec.times !== undefined) m.remaining = spec.times;
    modes.set(spec.path, m);
  };

  const reset = () => {
    log.length = 0;
    modes.clear();
    answeredIds.clear();
    seq = 0;
    for (const res of hung) res.destroy();
    hung.clear();
  };

  /** The mode for this request; counts down `times`. */
  const takeMode = (path: string): ModeSpec => {
    const spec = modes.get(path);
    if (spec === undefined) return { mode: "ok" };
    if (spec.remaining !== undefined) {
      spec.remaining--;
      if (spec.remaining <= 0) modes.delete(path);
    }
    return spec;
  };

  const handleService = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const rawBody = await readBody(req, maxBody);
    const kind = receiverKindOf(path);
    const spec = takeMode(path);
    const entry: ReceivedRequest = {
      seq: ++seq,
      kind,
      path,
      method: req.method ?? "GET",
      headers: flatHeaders(req),
      rawBody,
      body: parseJson(rawBody),
      receivedAt: Date.now(),
      mode: spec.mode,
    };
    log.push(entry);

    if (kind === "webhook" && opts.webhookSecret !== undefined) {
      const verdict = await verifyStandardWebhook(
        entry.headers,
        rawBody,
        opts.webhookSecret,
        new Date(),
        opts.toleranceSec ?? 300,
      );
      entry.signature = verdict.ok ? "valid" : "invalid";
    }
    const webhookId = kind === "webhook" ? entry.headers["webhook-id"] : undefined;
    if (webhookId !== undefined) entry.duplicate = answeredIds.has(webhookId);

    switch (spec.mode) {
      case "hang":
        hung.add(res);
        res.once("close", () => hung.delete(res));
        return;
      case "429": {
        const after = spec.retryAfterSec ?? 1;
        entry.status = 429;
        const answer = rateLimited(kind, after);
        if (answer.json === undefined) sendText(res, 429, "rate_limited", answer.headers);
        else sendJson(res, 429, answer.json, answer.headers);
        return;
      }
      case "reject": {
        const status = spec.rejectStatus ?? 400;
        entry.status = status;
        sendJson(res, status, refusal(kind, status));
        return;
      }
      case "500":
        entry.status = 500;
        sendText(res, 500, "internal_error");
        return;
      case "ok":
        break;
    }

    if (entry.signature === "invalid") {
      entry.status = 401;
      sendText(res, 401, "invalid signature");
      return;
    }
    if (webhookId !== undefined) answeredIds.add(webhookId);
    switch (kind) {
      case "slack":
        entry.status = 200;
        sendText(res, 200, "ok");
        return;
      case "discord":
        entry.status = 204;
        res.writeHead(204).end();
        return;
      case "pagerduty": {
        entry.status = 202;
        const dedup = (entry.body as { dedup_key?: unknown } | undefined)?.dedup_key;
        sendJson(res, 202, {
          status: "success",
          message: "Event processed",
          dedup_key: typeof dedup === "string" ? dedup : `pd-${entry.seq}`,
        });
        return;
      }
      case "telegram": {
        entry.status = 200;
        const sent = (entry.body ?? {}) as { chat_id?: unknown; text?: unknown };
        sendJson(res, 200, {
          ok: true,
          result: { message_id: entry.seq, chat: { id: sent.chat_id }, date: Math.floor(Date.now() / 1000) },
        });
        return;
      }
      case "ntfy": {
        entry.status = 200;
        const sent = (entry.body ?? {}) as { topic?: unknown; message?: unknown };
        sendJson(res, 200, {
          id: `msg${entry.seq}`,
          time: Math.floor(Date.now() / 1000),
          event: "message",
          topic: sent.topic,
          message: sent.message,
        });
        return;
      }
      case "webhook":
        entry.status = 200;
        sendJson(res, 200, { ok: true });
        return;
    }
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = req.method ?? "GET";
    switch (url.pathname) {
      case "/_received": {
        allow(method, "GET");
        const path = url.searchParams.get("path");
        sendJson(res, 200, path === null ? log : log.filter((r) => r.path === path));
        return;
      }
      case "/_mode": {
        if (method === "GET") {
          sendJson(res, 200, Object.fromEntries(modes));
          return;
        }
        allow(method, "PUT");
        const parsed = ModeRequestSchema.safeParse(parseJson(await readBody(req, 64 * 1024)));
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.length ? issue.path.join(".") : "body";
          throw new HttpError(400, `${field}: ${issue?.message ?? "invalid"}`);
        }
        setMode(parsed.data);
        sendJson(res, 200, { path: parsed.data.path, ...(modes.get(parsed.data.path) ?? { mode: "ok" }) });
        return;
      }
      case "/_reset":
        allow(method, "POST");
        reset();
        res.writeHead(204).end();
        return;
      default:
        throw new HttpError(404, `no control route ${url.pathname}`);
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://receivers");
    const work = url.pathname.startsWith("/_")
      ? handleControl(req, res, url)
      : handleService(req, res, url.pathname);
    work.catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
      else sendJson(res, 500, { error: String(error) });
    });
  });
  const listener = new TrackedListener(server, host);
  const port = await listener.listen(opts.port ?? 0);
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url: base,
    port,
    urls: Object.fromEntries(RECEIVER_KINDS.map((k) => [k, `${base}/${k}`])) as Record<ReceiverKind, string>,
    received: (path) => (path === undefined ? [...log] : log.filter((r) => r.path === path)),
    waitFor: async (path, count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = log.filter((r) => r.path === path);
        if (got.length >= count) return got;
        if (Date.now() >= deadline) {
          throw new Error(`receivers: ${got.length} of ${count} requests on ${path} after ${timeoutMs} ms`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    setMode,
    reset,
    stop: async () => {
      for (const res of hung) res.destroy();
      hung.clear();
      await listener.close();
    },
  };
}

/** A 429 the way each service sends it. The Bot API puts the delay in the body only. */
function rateLimited(kind: ReceiverKind, after: number): { json?: unknown; headers: Record<string, string> } {
  const header = { "retry-after": String(after) };
  switch (kind) {
    case "discord":
      return {
        json: { message: "You are being rate limited.", retry_after: after, global: false },
        headers: header,
      };
    case "pagerduty":
      return {
        json: { status: "throttle event", message: "Requests for this service are arriving too quickly." },
        headers: header,
      };
    case "telegram":
      return {
        json: {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${after}`,
          parameters: { retry_after: after },
        },
        headers: {},
      };
    case "ntfy":
      return { json: { code: 42901, http: 429, error: "limit reached: too many requests" }, headers: header };
    default:
      return { headers: header };
  }
}

/** A chat or topic the service will not deliver to, in its own words. */
function refusal(kind: ReceiverKind, status: number): unknown {
  if (kind === "telegram") {
    const description: Record<number, string> = {
      400: "Bad Request: chat not found",
      401: "Unauthorized",
      403: "Forbidden: bot was kicked from the supergroup chat",
      404: "Not Found",
    };
    return { ok: false, error_code: status, description: description[status] };
  }
  if (kind === "ntfy") {
    const error: Record<number, string> = {
      400: "invalid request: topic invalid",
      401: "unauthorized",
      403: "forbidden",
      404: "page not found",
    };
    return { code: status * 100 + 1, http: status, error: error[status] };
  }
  return { error: `rejected (${status})` };
}

function allow(method: string, expected: string): void {
  if (method !== expected) throw new HttpError(405, `method: expected ${expected}, got ${method}`);
}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new HttpError(413, `body: larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
