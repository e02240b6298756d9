import { createHash, randomBytes } from "node:crypto";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { createServer as createTlsServer, type TLSSocket, type Server as TlsServer } from "node:tls";
import { casperCertProblem } from "../../src/agent/crypto/casper-identity.ts";
import { encode, type MsgValue } from "../../src/agent/crypto/msgpack.ts";
import { publicKeyOf, sign } from "../../src/agent/crypto/nano-ed25519.ts";
import { buildCertificate, generateEcKeys, type KeyPair } from "../../src/agent/crypto/x509.ts";
import {
  encodeHeader,
  HANDSHAKE_FLAG,
  LIVE_GENESIS,
  MESSAGE_TYPE,
  parseHeader,
} from "../../src/agent/probes/nano-wire.ts";
import type { NanoNetwork } from "../../src/core/kinds/fields.ts";

/**
 * Simulated servers for the agent's probes, all on loopback in the test process: a Casper-like
 * TLS 1.3 P2P endpoint, a Nano handshake responder, UDP echo / Nano UDP / closed ports, a Chia-like
 * HTTPS RPC and daemon WebSocket behind a private CA that require client certificates, and TLS
 * servers with good, expiring and expired certificates. Certificates come from our own DER code.
 */

const DAY = 86_400_000;
const closers: (() => Promise<void>)[] = [];

/** Stops every server started by these helpers (call in afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all(closers.splice(0).map((c) => c().catch(() => {})));
}

function track<S extends NetServer | HttpServer>(server: S): Promise<number> {
  const sockets = new Set<Socket | Duplex>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

// ---------------------------------------------------------------- certificates

export interface Issued {
  cert: string;
  key: string;
}

export interface Pki {
  ca: Issued & { keys: KeyPair };
  /** Server certificate for localhost / 127.0.0.1, 90 days left. */
  server: Issued;
  /** A client certificate signed by the CA. */
  client: Issued;
  /** A client certificate from another CA (must be refused). */
  stranger: Issued;
  /** Leaf valid for 5 more days; leaf expired 2 days ago; leaf not yet valid. */
  expiring: Issued;
  expired: Issued;
  future: Issued;
  /** Leaf (90 days) under an intermediate that expires in 2 days: the chain is what breaks. */
  shortIntermediateChain: Issued;
  selfSigned: Issued;
  /** A CHIA_ROOT layout holding this PKI's files, for the chiaRoot setting. */
  chiaRoot: string;
}

export function makePki(now = Date.now()): Pki {
  const caKeys = generateEcKeys("P-256");
  const caName = { commonName: "Test Private CA", organization: "chain-uptime tests" };
  const ca = buildCertificate({
    subject: caName,
    keys: caKeys,
    ca: true,
    serial: 100,
    notBefore: now - DAY,
    notAfter: now + 3650 * DAY,
  });
  const issue = (
    cn: string,
    notBefore: number,
    notAfter: number,
    issuer: { name: { commonName: string; organization?: string }; keys: KeyPair } = {
      name: caName,
      keys: caKeys,
    },
  ): Issued => {
    const keys = generateEcKeys("P-256");
    const built = buildCertificate({
      subject: { commonName: cn },
      keys,
      issuer,
      serial: BigInt(`0x${randomBytes(8).toString("hex")}`),
      notBefore,
      notAfter,
      altNames: ["localhost", "127.0.0.1"],
    });
    return { cert: built.pem, key: built.keyPem };
  };
  const otherKeys = generateEcKeys("P-256");
  const otherName = { commonName: "Some Other CA" };
  const interKeys = generateEcKeys("P-256");
  const interName = { commonName: "Short-lived Intermediate" };
  const inter = buildCertificate({
    subject: interName,
    keys: interKeys,
    issuer: { name: caName, keys: caKeys },
    ca: true,
    serial: 101,
    notBefore: now - DAY,
    notAfter: now + 2 * DAY,
  });
  const underInter = issue("localhost", now - DAY, now + 90 * DAY, { name: interName, keys: interKeys });
  const selfKeys = generateEcKeys("P-256");
  const self = buildCertificate({
    subject: { commonName: "localhost" },
    keys: selfKeys,
    serial: 5,
    notBefore: now - DAY,
    notAfter: now + 30 * DAY,
    altNames: ["localhost", "127.0.0.1"],
  });
  const pki: Pki = {
    ca: { cert: ca.pem, key: ca.keyPem, keys: caKeys },
    server: issue("localhost", now - DAY, now + 90 * DAY),
    client: issue("chia client", now - DAY, now + 90 * DAY),
    stranger: issue("stranger", now - DAY, now + 90 * DAY, { name: otherName, keys: otherKeys }),
    expiring: issue("localhost", now - 80 * DAY, now + 5 * DAY),
    expired: issue("localhost", now - 90 * DAY, now - 2 * DAY),
    future: issue("localhost", now + 3 * DAY, now + 90 * DAY),
    shortIntermediateChain: { cert: underInter.cert + inter.pem, key: underInter.key },
    selfSigned: { cert: self.pem, key: self.keyPem },
    chiaRoot: mkdtempSync(join(tmpdir(), "chia-root-")),
  };
  const ssl = join(pki.chiaRoot, "config", "ssl");
  for (const [dir, files] of Object.entries({
    ca: { "private_ca.crt": pki.ca.cert },
    full_node: { "private_full_node.crt": pki.client.cert, "private_full_node.key": pki.client.key },
    daemon: { "private_daemon.crt": pki.client.cert, "private_daemon.key": pki.client.key },
  })) {
    mkdirSync(join(ssl, dir), { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(ssl, dir, f), text);
  }
  return pki;
}

/** Writes PEM text to a temp file (for caFile/certFile/keyFile settings). */
export function pemFile(text: string, name = "file.pem"): string {
  const dir = mkdtempSync(join(tmpdir(), "agent-pem-"));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A TLS server presenting `issued` (chain included) that completes handshakes and closes. */
export function startTlsServer(issued: Issued): Promise<number> {
  const server = createTlsServer({ cert: issued.cert, key: issued.key }, (s) => s.end());
  server.on("tlsClientError", () => {});
  return track(server);
}

// ---------------------------------------------------------------- Casper P2P

export interface CasperNodeOptions {
  networkName?: string;
  protocolVersion?: string | number[];
  syncing?: boolean;
  /** ok: send the handshake; silent: never send; oversize: announce a huge frame; garbage: not MessagePack. */
  mode?: "ok" | "silent" | "oversize" | "garbage" | "ping-first";
  /** Encode as rmp-serde 1.x does ({"Handshake": […]}) instead of 0.14's [0, […]]. */
  mapEnum?: boolean;
}

export interface CasperNode {
  port: number;
  /** Node id computed independently from the server key (SHA-512 of the compressed point). */
  nodeId: string;
  /** What the node thought of each client certificate (undefined = acceptable). */
  clientProblems: (string | undefined)[];
}

/**
 * Casper-like P2P endpoint: TLS 1.3 only, its own P-521 / ECDSA-SHA512 / serial-1 certificate,
 * requires a client certificate and drops peers whose certificate casper-node would refuse, then
 * sends a length-prefixed MessagePack Handshake frame.
 */
export async function startCasperNode(opts: CasperNodeOptions = {}): Promise<CasperNode> {
  const keys = generateEcKeys("P-521");
  const now = Date.now();
  const built = buildCertificate({
    subject: { commonName: "casper-node", organization: "Casper Blockchain", country: "US" },
    keys,
    serial: 1,
    notBefore: now - 60_000,
    notAfter: now + 3650 * DAY,
    hash: "sha512",
    bare: true,
  });
  const jwk = keys.publicKey.export({ format: "jwk" });
  const x = Buffer.from(jwk.x as string, "base64url");
  const y = Buffer.from(jwk.y as string, "base64url");
  const compressed = Buffer.concat([Buffer.from([((y[y.length - 1] ?? 0) & 1) === 1 ? 3 : 2]), x]);
  const node: CasperNode = {
    port: 0,
    nodeId: createHash("sha512").update(compressed).digest("hex"),
    clientProblems: [],
  };
  const server: TlsServer = createTlsServer(
    {
      cert: built.pem,
      key: built.keyPem,
      minVersion: "TLSv1.3",
      requestCert: true,
      rejectUnauthorized: false,
    },
    (socket: TLSSocket) => {
      socket.on("error", () => {});
      const peer = socket.getPeerX509Certificate();
      const problem = peer ? casperCertProblem(peer.raw) : "no client certificate";
      node.clientProblems.push(problem);
      if (problem) return socket.destroy();
      const mode = opts.mode ?? "ok";
      if (mode === "silent") return;
      if (mode === "oversize") return void socket.write(Buffer.from([0x01, 0x80, 0x00, 0x00]));
      if (mode === "garbage")
        return void socket.write(Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from([0xc1, 0xc1, 0xc1])]));
      const fields: MsgValue[] = [
        opts.networkName ?? "casper-test",
        "127.0.0.1:35000",
        (opts.protocolVersion as MsgValue) ?? "1.5.8",
        null,
        opts.syncing ?? false,
        new Uint8Array(32).fill(7),
      ];
      const message: MsgValue =
        mode === "ping-first"
          ? [1, [42]]
          : opts.mapEnum
            ? new Map<MsgValue, MsgValue>([["Handshake", fields]])
            : [0, fields];
      const payload = encode(message);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(payload.length, 0);
      socket.write(Buffer.concat([len, payload]));
    },
  );
  server.on("tlsClientError", () => {});
  node.port = await track(server);
  return node;
}

// ---------------------------------------------------------------- Nano peering

export interface NanoResponderOptions {
  network?: NanoNetwork;
  /** Reply as V25+ (v2: salt + genesis) or older (v1). */
  v2?: boolean;
  badSignature?: boolean;
  genesis?: string;
  /** Answer from another network's header. */
  replyNetwork?: NanoNetwork;
  /** Drop the connection instead of answering. */
  drop?: boolean;
}

export interface NanoResponder {
  port: number;
  publicKey: Uint8Array;
  queries: number;
}

/** A Nano node's TCP peering port as far as a handshake goes (CHAINS.md B.2). */
export async function startNanoResponder(opts: NanoResponderOptions = {}): Promise<NanoResponder> {
  const seed = randomBytes(32);
  const r: NanoResponder = { port: 0, publicKey: publicKeyOf(seed), queries: 0 };
  const network = opts.network ?? "live";
  const server = createNetServer((socket) => {
    socket.on("error", () => {});
    let buf = Buffer.alloc(0);
    socket.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 40) return;
      const h = parseHeader(buf);
      // A real node aborts anything but a handshake (or bootstrap request) as the first message.
      if (h.type !== MESSAGE_TYPE.nodeIdHandshake || !(h.extensions & HANDSHAKE_FLAG.query) || opts.drop) {
        return socket.destroy();
      }
      r.queries++;
      const cookie = buf.subarray(8, 40);
      const v2 = opts.v2 ?? true;
      const flags = HANDSHAKE_FLAG.query | HANDSHAKE_FLAG.response | (v2 ? HANDSHAKE_FLAG.v2 : 0);
      const salt = randomBytes(32);
      const genesis = Buffer.from(opts.genesis ?? LIVE_GENESIS, "hex");
      const data = v2 ? Buffer.concat([cookie, salt, genesis]) : Buffer.from(cookie);
      const sig = Buffer.from(sign(seed, data));
      if (opts.badSignature) sig[5] = (sig[5] ?? 0) ^ 0xff;
      const header = encodeHeader(opts.replyNetwork ?? network, MESSAGE_TYPE.nodeIdHandshake, flags, {
        max: 0x15,
        using: 0x15,
        min: 0x14,
      });
      const response = v2
        ? Buffer.concat([Buffer.from(r.publicKey), salt, genesis, sig])
        : Buffer.concat([Buffer.from(r.publicKey), sig]);
      socket.write(Buffer.concat([header, randomBytes(32), response]));
    });
  });
  r.port = await track(server);
  return r;
}

// ---------------------------------------------------------------- UDP

function udpServer(
  onMessage: (socket: UdpSocket, msg: Buffer, from: { address: string; port: number }) => void,
): Promise<number> {
  const socket = createSocket("udp4");
  socket.on("message", (msg, rinfo) => onMessage(socket, msg, rinfo));
  closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return new Promise((resolve) => socket.bind(0, "127.0.0.1", () => resolve(socket.address().port)));
}

/** Echoes every datagram, optionally prefixed. */
export function startUdpEcho(prefix = ""): Promise<number> {
  return udpServer((s, msg, from) =>
    s.send(Buffer.concat([Buffer.from(prefix), msg]), from.port, from.address),
  );
}

/** Reads datagrams and never answers. */
export function startUdpSilent(): Promise<number> {
  return udpServer(() => {});
}

/** A V20-era Nano node on UDP: answers a keepalive with a keepalive. */
export function startNanoUdp(network: NanoNetwork = "live"): Promise<number> {
  return udpServer((s, msg, from) => {
    const h = parseHeader(msg);
    if (h.type !== MESSAGE_TYPE.keepalive) return;
    const reply = Buffer.concat([
      encodeHeader(network, MESSAGE_TYPE.keepalive, 0, { max: 0x11, using: 0x11, min: 0x10 }),
      Buffer.alloc(144),
    ]);
    s.send(reply, from.port, from.address);
  });
}

/** A UDP port with nothing on it (bound, then released). */
export async function closedUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A TCP port with nothing on it. */
export async function closedTcpPort(): Promise<number> {
  const server = createNetServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------- Chia RPC and daemon

const SAMPLE_STATE = `{"blockchain_state": {"average_block_time": 18, "difficulty": 2528, "genesis_challenge_initialized": true, "mempool_size": 3, "node_id": "b3d9", "peak": {"header_hash": "0x76fd", "height": 4154084, "timestamp": TS, "weight": 8641556544}, "space": 33037817585788604416, "sub_slot_iters": 147849216, "sync": {"sync_mode": SYNCMODE, "sync_progress_height": 0, "sync_tip_height": 0, "synced": SYNCED}}, "success": true}`;

export interface ChiaOptions {
  synced?: boolean;
  syncMode?: boolean;
  failing?: boolean;
}

/**
 * Chia-like RPC: HTTPS with the private CA's server certificate, client certificate required and
 * verified against the same CA, every endpoint POST with a JSON body, compact sorted JSON answers.
 */
export function startChiaRpc(pki: Pki, opts: ChiaOptions = {}): Promise<number> {
  const server = createHttpsServer(
    {
      cert: pki.server.cert,
      key: pki.server.key,
      ca: pki.ca.cert,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        if (req.method !== "POST") return void res.writeHead(405).end();
        if (req.url === "/healthz") return void res.end('{"success": true}');
        if (req.url === "/get_blockchain_state") {
          if (opts.failing)
            return void res.end('{"error": "Node not initialized", "success": false, "traceback": "..."}');
          return void res.end(
            SAMPLE_STATE.replace("TS", String(Math.floor(Date.now() / 1000) - 20))
              .replace("SYNCMODE", String(opts.syncMode ?? false))
              .replace("SYNCED", String(opts.synced ?? true)),
          );
        }
        res.writeHead(404).end();
      });
    },
  );
  server.on("tlsClientError", () => {});
  return track(server);
}

// WebSocket server side, just enough for ping/pong.
function acceptUpgrade(req: IncomingMessage, socket: Duplex): void {
  const key = req.headers["sec-websocket-key"];
  const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
}

function serverFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, len]) : Buffer.from([0x81, 126, len >> 8, len & 0xff]);
  return Buffer.concat([head, payload]);
}

function onClientTexts(socket: Duplex, handle: (text: string) => void): void {
  let buf = Buffer.alloc(0);
  socket.on("data", (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      if (buf.length < 2) return;
      const op = (buf[0] ?? 0) & 0x0f;
      let len = (buf[1] ?? 0) & 0x7f;
      let at = 2;
      if (len === 126) {
        len = buf.readUInt16BE(2);
        at = 4;
      }
      if (buf.length < at + 4 + len) return;
      const mask = buf.subarray(at, at + 4);
      const payload = Buffer.from(buf.subarray(at + 4, at + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
      buf = buf.subarray(at + 4 + len);
      if (op === 0x8) return void socket.end();
      if (op === 0x1) handle(payload.toString("utf8"));
    }
  });
}

/** Chia daemon WebSocket (wss, mutual TLS): answers ping with pong, after some unrelated chatter. */
export function startChiaDaemon(pki: Pki, opts: { broken?: boolean } = {}): Promise<number> {
  const server = createHttpsServer({
    cert: pki.server.cert,
    key: pki.server.key,
    ca: pki.ca.cert,
    requestCert: true,
    rejectUnauthorized: true,
  });
  server.on("tlsClientError", () => {});
  server.on("upgrade", (req, socket) => {
    socket.on("error", () => {});
    acceptUpgrade(req, socket);
    onClientTexts(socket, (text) => {
      const msg = JSON.parse(text) as { command: string; request_id: string; origin: string };
      socket.write(
        serverFrame(JSON.stringify({ ack: false, command: "state_changed", data: {}, request_id: "other" })),
      );
      const data = opts.broken
        ? { success: false, error: "unknown_command ping" }
        : { success: true, value: "pong" };
      socket.write(
        serverFrame(
          JSON.stringify({
            ack: true,
            command: msg.command,
            data,
            destination: msg.origin,
            origin: "daemon",
            request_id: msg.request_id,
          }),
        ),
      );
    });
  });
  return track(server);
}

/** Nano node WebSocket (plain ws): {"action":"ping"} → {"ack":"pong","time":"…"}. */
export function startNanoWs(opts: { silent?: boolean } = {}): Promise<number> {
  const server = createHttpServer((_req, res) => res.writeHead(426).end());
  server.on("upgrade", (req, socket) => {
    socket.on("error", () => {});
    acceptUpgrade(req, socket);
    onClientTexts(socket, (text) => {
      if (opts.silent) return;
      if ((JSON.parse(text) as { action?: string }).action === "ping") {
        socket.write(serverFrame(JSON.stringify({ ack: "pong", time: String(Date.now()) })));
      }
    });
  });
  return track(server);
}
