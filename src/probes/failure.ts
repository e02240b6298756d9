import type { ProbeError, ProbeErrorKind } from "../core/result.ts";

/**
 * A failure a probe has already classified. Probe internals throw it to unwind from deep inside a
 * read; the probe's outer catch turns it (and anything else) into a ProbeResult, so the contract
 * "never throws" holds at the boundary.
 */
export class ProbeFailure extends Error {
  readonly kind: ProbeErrorKind;
  readonly httpStatus: number | undefined;

  constructor(kind: ProbeErrorKind, message: string, httpStatus?: number) {
    super(message);
    this.name = "ProbeFailure";
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  toProbeError(): ProbeError {
    return this.httpStatus === undefined
      ? { kind: this.kind, message: this.message }
      : { kind: this.kind, message: this.message, httpStatus: this.httpStatus };
  }
}

/**
 * A transport error raised while reading a body (after the headers arrived). classify() reports
 * it as a cut body rather than a refused connection.
 */
export class BodyReadError extends Error {
  readonly original: unknown;

  constructor(original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = "BodyReadError";
    this.original = original;
  }
}

/** Wraps body-read errors, leaving classified failures and deadline aborts as they are. */
export function asBodyError(err: unknown): unknown {
  if (err instanceof ProbeFailure || err instanceof BodyReadError) return err;
  const name = err instanceof Error || err instanceof DOMException ? err.name : "";
  if (name === "TimeoutError" || name === "AbortError") return err;
  return new BodyReadError(err);
}
