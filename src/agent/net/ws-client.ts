import { createHash, randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { ProbeFailure } from "../../probes/failure.ts";
import { ByteReader } from "./byte-reader.ts";

/**
 * A minimal WebSocket client (RFC 6455) over an already connected socket — plain TCP for ws://,
 * TLS (with client certificates, for Chia's daemon) for wss://. Node's built-in WebSocket cannot
 * present a client certificate, hence this. Text frames only, no extensions, bounded reads.
 */
export interface WsConnection {
  sendText(text: string): void;
  /** The next text message; control frames are handled (ping → pong) and skipped. */
  nextText(signal: AbortSignal): Promise<string>;
  close(): void;
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const MAX_HEADER_BYTES = 16_384;

export async function openWebSocket(
  socket: Socket,
  url: URL,
  signal: AbortSignal,
  opts: { headers?: Record<string, string>; maxMessageBytes: number },
): Promise<WsConnection> {
  const reader = new ByteReader(socket, opts.maxMessageBytes + MAX_HEADER_BYTES);
  const key = randomBytes(16).toString("base64");
  const lines = [
    `GET ${url.pathname || "/"}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);

  // Response head, byte by byte up to the blank line (the server may send frames right after it).
  let head = "";
  while (!head.endsWith("\r\n\r\n")) {
    if (head.length > MAX_HEADER_BYTES)
      throw new ProbeFailure("too_large", "WebSocket response head too large");
    head += (await reader.read(1, signal, "WebSocket handshake response")).toString("latin1");
  }
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
  if (status !== "101") {
    throw new ProbeFailure(
      "http_status",
      `WebSocket upgrade refused: HTTP ${status ?? "?"}`,
      status ? Number(status) : undefined,
    );
  }
  const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
  const expected = createHash("sha1")
    .update(key + GUID)
    .digest("base64");
  if (accept !== expected)
    throw new ProbeFailure("protocol", "WebSocket handshake: wrong Sec-WebSocket-Accept");

  const sendFrame = (opcode: number, payload: Buffer) => {
    const mask = randomBytes(4);
    const len = payload.length;
    const header =
      len < 126
        ? Buffer.from([0x80 | opcode, 0x80 | len])
        : len < 65_536
          ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff])
          : (() => {
              const b = Buffer.alloc(10);
              b[0] = 0x80 | opcode;
              b[1] = 0x80 | 127;
              b.writeBigUInt64BE(BigInt(len), 2);
              return b;
            })();
    const masked = Buffer.from(payload);
    for (let i = 0; i < masked.length; i++) masked[i] = (masked[i] ?? 0) ^ (mask[i % 4] ?? 0);
    socket.write(Buffer.concat([header, mask, masked]));
  };

  const nextFrame = async (s: AbortSignal) => {
    const [b0 = 0, b1 = 0] = await reader.read(2, s, "WebSocket frame");
    let len = b1 & 0x7f;
    if (len === 126) len = (await reader.read(2, s, "WebSocket frame")).readUInt16BE(0);
    else if (len === 127) {
      const big = (await reader.read(8, s, "WebSocket frame")).readBigUInt64BE(0);
      if (big > BigInt(opts.maxMessageBytes))
        throw new ProbeFailure("too_large", `WebSocket message over ${opts.maxMessageBytes} bytes`);
      len = Number(big);
    }
    if (len > opts.maxMessageBytes)
      throw new ProbeFailure("too_large", `WebSocket message over ${opts.maxMessageBytes} bytes`);
    const mask = b1 & 0x80 ? await reader.read(4, s, "WebSocket frame") : undefined;
    const payload = Buffer.from(await reader.read(len, s, "WebSocket frame"));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload };
  };

  return {
    sendText: (text) => sendFrame(0x1, Buffer.from(text, "utf8")),
    async nextText(s) {
      const parts: Buffer[] = [];
      let size = 0;
      for (;;) {
        const f = await nextFrame(s);
        if (f.opcode === 0x9) {
          sendFrame(0xa, f.payload);
          continue;
        }
        if (f.opcode === 0xa) continue;
        if (f.opcode === 0x8) {
          const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : undefined;
          throw new ProbeFailure(
            "protocol",
            `WebSocket closed by the server${code ? ` (code ${code})` : ""}`,
          );
        }
        if (f.opcode === 0x2) throw new ProbeFailure("protocol", "unexpected binary WebSocket message");
        parts.push(f.payload);
        size += f.payload.length;
        if (size > opts.maxMessageBytes)
          throw new ProbeFailure("too_large", `WebSocket message over ${opts.maxMessageBytes} bytes`);
        if (f.fin) return Buffer.concat(parts).toString("utf8");
      }
    },
    close() {
      try {
        sendFrame(0x8, Buffer.from([0x03, 0xe8]));
      } catch {}
      socket.end();
      setTimeout(() => socket.destroy(), 200).unref();
    },
  };
}
