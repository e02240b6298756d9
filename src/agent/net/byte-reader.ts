import type { Duplex } from "node:stream";
import { ProbeFailure } from "../../probes/failure.ts";

/**
 * Pulls exact byte counts out of a socket, within a cap on what may be buffered and under an abort
 * signal. A peer that closes early, sends more than `maxBuffered` unasked, or says nothing until the
 * deadline ends the wait with an error, never a hang.
 */
export class ByteReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  total = 0;

  private readonly maxBuffered: number;

  constructor(socket: Duplex, maxBuffered: number) {
    this.maxBuffered = maxBuffered;
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.total += chunk.length;
      if (this.buffered > this.maxBuffered) {
        this.failure = new ProbeFailure("too_large", `peer sent more than ${this.maxBuffered} bytes`);
        socket.destroy();
      }
      this.wake?.();
    });
    socket.on("end", () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on("error", (err) => {
      this.failure ??= err;
      this.wake?.();
    });
  }

  /** Bytes already received and not yet read. */
  get available(): number {
    return this.buffered;
  }

  private take(n: number): Buffer {
    const all = Buffer.concat(this.chunks);
    this.chunks.length = 0;
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    if (rest.length) this.chunks.push(rest);
    this.buffered = rest.length;
    return out;
  }

  /** Exactly n bytes; `what` names them in the error when the peer closes first. */
  async read(n: number, signal: AbortSignal, what = "data"): Promise<Buffer> {
    await this.waitFor(n, signal, what);
    return this.take(n);
  }

  /** Whatever has arrived (at least one byte), up to `max`. */
  async readSome(max: number, signal: AbortSignal, what = "data"): Promise<Buffer> {
    await this.waitFor(1, signal, what);
    return this.take(Math.min(max, this.buffered));
  }

  private async waitFor(n: number, signal: AbortSignal, what: string): Promise<void> {
    for (;;) {
      if (this.buffered >= n) return;
      if (this.failure) throw this.failure;
      if (signal.aborted) throw signal.reason;
      if (this.ended) {
        throw new ProbeFailure(
          "protocol",
          this.total === 0
            ? `connection closed before any ${what}`
            : `connection closed after ${this.total} bytes, in the middle of ${what}`,
        );
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          this.wake = undefined;
          resolve();
        };
        this.wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }
}
