import type { Check, CheckKind, CheckOf } from "../core/config/checks.ts";
import type { ProbeResult } from "../core/result.ts";

/** What every probe gets besides its target: a hard deadline and the caller's identity. */
export interface ProbeOptions {
  /** Total time budget; the probe must settle (ok or failure) within it. */
  timeoutMs: number;
  /** Sent as User-Agent so operators (and the simulated fleet) can tell vantages apart. */
  userAgent: string;
  /** Resolved header values (secrets already looked up). */
  headers?: Record<string, string>;
}

/**
 * The one probe contract, after blackbox_exporter: a pure function of target, options and an
 * abort signal. It never throws: every failure comes back as a classified ProbeResult.
 */
export type Probe<K extends CheckKind = CheckKind> = (
  check: CheckOf<K>,
  options: ProbeOptions,
  signal: AbortSignal,
) => Promise<ProbeResult>;

export type AnyCheck = Check;
