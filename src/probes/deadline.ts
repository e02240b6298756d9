import type { ProbePhase, ProbeTimings } from "../core/result.ts";

/**
 * One probe's time budget. Every I/O step of a probe (connect, headers, each body read, a second
 * RPC call) listens to the same signal, so the whole probe settles within `timeoutMs` no matter
 * how many steps it takes, and the caller's signal cuts it short as well.
 */
export interface Deadline {
  /** Aborts on our timeout (reason: TimeoutError), on the caller's abort, or on dispose(). */
  readonly signal: AbortSignal;
  /** The caller's signal, kept apart so errors can tell "our timeout" from "caller aborted". */
  readonly caller: AbortSignal;
  readonly timeoutMs: number;
  /** Milliseconds since the probe started. */
  elapsed(): number;
  /** Stops the timer and aborts whatever is still in flight (streams, sockets). Idempotent. */
  dispose(): void;
  /** The phase the probe is in now; a timeout is reported as happening in it. */
  readonly phase: ProbePhase | undefined;
  /** When each completed phase ended (ms since the start). */
  readonly timings: ProbeTimings;
  /** Enters a phase; the one before it, if any, ends now and its time is recorded. */
  enter(phase: ProbePhase): void;
  /** Ends the current phase (its time is recorded: `at`, or now) without starting another. */
  done(at?: number): void;
}

const TIMING_OF: Record<ProbePhase, keyof ProbeTimings> = {
  connect: "connectMs",
  response: "responseMs",
  body: "bodyMs",
  event: "eventMs",
};

export function startDeadline(timeoutMs: number, caller: AbortSignal): Deadline {
  const startedAt = performance.now();
  const own = new AbortController();
  // A plain timer rather than AbortSignal.timeout so dispose() can clear it: no stray timer
  // outlives the probe in a Durable Object that runs many probes per tick.
  const timer = setTimeout(
    () => own.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")),
    timeoutMs,
  );
  const signal = AbortSignal.any([own.signal, caller]);
  const elapsed = () => Math.max(0, Math.round(performance.now() - startedAt));
  let phase: ProbePhase | undefined;
  const timings: ProbeTimings = {};
  // A probe that makes a second request (an RPC pair, a second stream) keeps its first timings:
  // they are what its latency reports.
  const done = (at?: number) => {
    if (phase !== undefined) timings[TIMING_OF[phase]] ??= at ?? elapsed();
    phase = undefined;
  };
  return {
    signal,
    caller,
    timeoutMs,
    elapsed,
    get phase() {
      return phase;
    },
    timings,
    enter: (next) => {
      done(undefined);
      phase = next;
    },
    done,
    dispose: () => {
      clearTimeout(timer);
      if (!own.signal.aborted) own.abort(new DOMException("probe finished", "AbortError"));
    },
  };
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts. For awaits
 * that take no signal themselves (socket.opened, reader.read()); the caller must still cancel the
 * underlying resource, this only stops the wait.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Resolves `onTimeout()` after `ms` unless `promise` settles first; the timer is always cleared. */
export function withTimeout<T, U>(promise: Promise<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), Math.max(0, ms));
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}
