import type { Server, Socket } from "node:net";

const SAFE_PORTS = { from: 20_000, to: 32_000 } as const;

/**
 * A server that can be closed and reopened on the same port, and whose close also destroys
 * every open socket (hung requests, SSE streams, idle keep-alives): the `refusing` fault needs
 * real ECONNREFUSED, and stop() must not wait for clients that never hang up.
 */
export class TrackedListener {
  readonly server: Server;
  readonly host: string;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  private listening = false;

  constructor(server: Server, host: string) {
    this.server = server;
    this.host = host;
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
  }

  /** The port, fixed at the first listen so a reopened listener comes back where clients expect it. */
  get port(): number {
    return this.boundPort;
  }

  get isListening(): boolean {
    return this.listening;
  }

  /**
   * Listens on `port`, or on the port of the first listen. Port 0 picks a free port below Linux's
   * ephemeral range (32768-60999): a port the kernel handed out could, while this listener is
   * closed for `refusing`, be given to some outgoing connection, and reopening would then fail
   * with EADDRINUSE. Ports below that range are never handed out.
   */
  async listen(port = this.boundPort): Promise<number> {
    if (this.listening) return this.boundPort;
    if (port !== 0) return this.bind(port);
    for (let attempt = 0; attempt < 50; attempt++) {
      const candidate = SAFE_PORTS.from + Math.floor(Math.random() * (SAFE_PORTS.to - SAFE_PORTS.from));
      try {
        return await this.bind(candidate);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "EADDRINUSE" && code !== "EACCES") throw error;
      }
    }
    return this.bind(0);
  }

  private async bind(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      // A port in use fails the attempt: its listening callback must go with it, or each retry
      // leaves one behind (Node warns past ten: a 10,000-endpoint fleet retried that often).
      const onListening = () => {
        this.server.off("error", onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.server.off("listening", onListening);
        reject(error);
      };
      this.server.once("error", onError);
      this.server.once("listening", onListening);
      this.server.listen({ port, host: this.host });
    });
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("listener has no TCP address");
    this.boundPort = address.port;
    this.listening = true;
    return this.boundPort;
  }

  async close(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}
