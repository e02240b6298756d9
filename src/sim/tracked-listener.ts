import type { Server, Socket } from "node:net";

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

  async listen(port = this.boundPort): Promise<number> {
    if (this.listening) return this.boundPort;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once("error", onError);
      this.server.listen({ port, host: this.host }, () => {
        this.server.off("error", onError);
        resolve();
      });
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
