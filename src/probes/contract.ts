import type { CheckKind, CheckOf } from "../core/kinds/index.ts";
import type { ProbeResult } from "../core/result.ts";
import type { Deadline } from "./deadline.ts";
import type { TargetInfo } from "./target.ts";

/** What every probe gets besides its target: a hard deadline and the caller's identity. */
export interface ProbeOptions {
  /** Total time budget; the probe must settle (ok or failure) within it. */
  timeoutMs: number;
  /** Sent as User-Agent so operators (and the simulated fleet) can tell vantages apart. */
  userAgent: string;
  /** Resolved header values (secrets already looked up). */
  headers?: Record<string, string>;
}

/** An open TCP connection, as much of it as a connect check needs. */
export interface TcpConnection {
  close(): void;
}

/**
 * What differs between the runtimes a probe runs in. The Worker connects with
 * `cloudflare:sockets`, the agent with `node:net`; probes see only this, so they load in both.
 */
export interface Platform {
  /** Resolves once the connection is open; rejects on refusal or when `signal` aborts. */
  connectTcp(host: string, port: number, signal: AbortSignal): Promise<TcpConnection>;
}

/**
 * One run of one probe, owned by the runner (runner.ts): the deadline every I/O step listens to,
 * where the probe goes (for classifying and redacting errors), and the platform's sockets.
 */
export interface ProbeRun {
  readonly options: ProbeOptions;
  readonly deadline: Deadline;
  readonly target: TargetInfo;
  readonly platform: Platform;
  /**
   * Time to the response head, once the probe knows it: a failure after that point (a bad body)
   * reports this latency instead of the time until it gave up.
   */
  latencyMs?: number;
  /** Registers cleanup (cancel a stream, close a socket) that runs however the probe settles. */
  defer(cleanup: () => unknown): void;
}

/**
 * The one probe contract, after blackbox_exporter: a function of the check and its run. A probe
 * returns its result or throws; the runner turns whatever it throws into a classified failure,
 * bounds its time and checks its result, so probes hold no scaffolding of their own.
 */
export type Probe<C> = (check: C, run: ProbeRun) => Promise<ProbeResult>;

/** A runtime's probes, one per kind it runs: the mapped type makes a missing kind a compile error. */
export type ProbeTable<K extends CheckKind> = { [P in K]: Probe<CheckOf<P>> };
