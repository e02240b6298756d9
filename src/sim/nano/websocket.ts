import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

/**
 * The server side of RFC 6455 on a socket that node:http handed over at `upgrade`: the opening
 * handshake (§4.2), framing with client masking (§5.2–5.3), fragmentation (§5.4), ping/pong
 * (§5.5.2–3) and the closing handshake (§5.5.1, §7). No extensions are offered, so
 * `permessage-deflate` requests are simply not accepted. Node's standard library only.
 */

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  invalidData: 1007,
  tooBig: 1009,
} as const;

export interface WsOptions {
  /** Largest message (after reassembly) accepted; larger closes with 1009. */
  maxMessageBytes: number;
  /** Read and drop everything, answer nothing (not even ping or close): a hung peer. */
  silent?: boolean;
}

/** Answers the opening handshake; returns false (after answering 400/426) when it is not a valid one. */
export function acceptHandshake(req: IncomingMessage, socket: Duplex): boolean {
  const reject = (status: string, extra = "") => {
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n${extra}\r\n`);
    return false;
  };
  const upgrade = (req.headers.upgrade ?? "").toLowerCase();
  const connection = (req.headers.connection ?? "").toLowerCase();
  const key = req.headers["sec-websocket-key"];
  if (req.method !== "GET" || upgrade !== "websocket" || !connection.split(/\s*,\s*/).includes("upgrade")) {
    return reject("400 Bad Request");
  }
  if (req.headers["sec-websocket-version"] !== "13") {
    return reject("426 Upgrade Required", "sec-websocket-version: 13\r\n");
  }
  if (typeof key !== "string" || Buffer.from(key, "base64").length !== 16) return reject("400 Bad Request");
  const accept = createHash("sha1")
    .update(key + GUID)
    .digest("base64");
  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n" +
      `sec-websocket-accept: ${accept}\r\n\r\n`,
  );
  return true;
}

/** One accepted connection: parses client frames, writes server frames. */
export class WsConnection {
  /** A complete text message arrived. */
  onText: (text: string) => void = () => {};
  private readonly socket: Duplex;
  private readonly maxMessageBytes: number;
  private readonly silent: boolean;
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private fragmentBytes = 0;
  private closeSent = false;
  private failed = false;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

  constructor(socket: Duplex, head: Buffer, options: WsOptions) {
    this.socket = socket;
    this.maxMessageBytes = options.maxMessageBytes;
    this.silent = options.silent ?? false;
    socket.on("data", (chunk: Buffer) => {
      if (!this.silent) this.receive(chunk);
    });
    socket.on("error", () => {});
    if (head.length > 0 && !this.silent) queueMicrotask(() => this.receive(head));
  }

  get open(): boolean {
    return !this.closeSent && !this.socket.destroyed;
  }

  sendText(text: string): void {
    if (this.open) this.socket.write(frame(OP.text, Buffer.from(text, "utf8")));
  }

  /** Starts the closing handshake; the socket ends when the client answers (or at once if it is gone). */
  close(code: number = CLOSE.normal, reason = ""): void {
    if (this.closeSent || this.socket.destroyed) return;
    this.closeSent = true;
    this.socket.write(frame(OP.close, closePayload(code, reason)));
    // Don't wait forever for the client's close frame.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private receive(chunk: Buffer): void {
    if (this.failed) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const parsed = this.nextFrame();
      if (parsed === undefined) return;
      this.handle(parsed.fin, parsed.opcode, parsed.payload);
      if (this.failed || this.socket.destroyed) return;
    }
  }

  /** The next whole frame, or undefined when more bytes are needed (or the connection failed). */
  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer } | undefined {
    const b = this.buffer;
    if (b.length < 2) return undefined;
    const b0 = b[0] ?? 0;
    const b1 = b[1] ?? 0;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if ((b0 & 0x70) !== 0) return this.fail(CLOSE.protocolError, "reserved bits set");
    if ((b1 & 0x80) === 0) return this.fail(CLOSE.protocolError, "client frames must be masked");
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(this.maxMessageBytes)) return this.fail(CLOSE.tooBig, "frame too large");
      length = Number(big);
      offset = 10;
    }
    if (opcode >= 0x8 && (!fin || length > 125)) return this.fail(CLOSE.protocolError, "bad control frame");
    if (length > this.maxMessageBytes) return this.fail(CLOSE.tooBig, "frame too large");
    if (b.length < offset + 4 + length) return undefined;
    const mask = b.subarray(offset, offset + 4);
    const payload = Buffer.from(b.subarray(offset + 4, offset + 4 + length));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
    this.buffer = b.subarray(offset + 4 + length);
    return { fin, opcode, payload };
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OP.ping:
        if (this.open) this.socket.write(frame(OP.pong, payload));
        return;
      case OP.pong:
        return;
      case OP.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : CLOSE.normal;
        if (!this.closeSent) {
          this.closeSent = true;
          const echo = Buffer.alloc(2);
          echo.writeUInt16BE(code === 1005 || code === 1006 ? CLOSE.normal : code, 0);
          this.socket.end(frame(OP.close, echo));
        } else {
          this.socket.end();
        }
        return;
      }
      case OP.text:
      case OP.binary:
        if (this.fragments.length > 0) {
          this.fail(CLOSE.protocolError, "new message inside a fragmented one");
          return;
        }
        this.fragmentOpcode = opcode;
        break;
      case OP.continuation:
        if (this.fragments.length === 0) {
          this.fail(CLOSE.protocolError, "continuation without a message");
          return;
        }
        break;
      default:
        this.fail(CLOSE.protocolError, `unknown opcode ${opcode}`);
        return;
    }
    this.fragments.push(payload);
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.maxMessageBytes) {
      this.fail(CLOSE.tooBig, "message too large");
      return;
    }
    if (!fin) return;
    const message = Buffer.concat(this.fragments);
    this.fragments = [];
    this.fragmentBytes = 0;
    if (this.fragmentOpcode !== OP.text) return; // binary messages mean nothing to a Nano node
    let text: string;
    try {
      text = this.decoder.decode(message);
    } catch {
      this.fail(CLOSE.invalidData, "text is not UTF-8");
      return;
    }
    this.onText(text);
  }

  /** Fails the connection (§7.1.7): a close frame with the reason, then the socket ends. */
  private fail(code: number, reason: string): undefined {
    this.failed = true;
    this.buffer = Buffer.alloc(0);
    if (!this.closeSent && !this.socket.destroyed) {
      this.closeSent = true;
      this.socket.end(frame(OP.close, closePayload(code, reason)));
    }
    setTimeout(() => this.socket.destroy(), 1000).unref();
    return undefined;
  }
}

function closePayload(code: number, reason: string): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

/** A server frame: FIN set, never masked (§5.1). */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.alloc(2) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (length < 126) {
    head[1] = length;
  } else if (length < 65_536) {
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}
