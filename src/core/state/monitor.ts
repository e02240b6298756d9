import type { ChainMemory } from "../chains/types.ts";
import type { Monitor } from "../config/schema.ts";
import { evaluateResult } from "../evaluate.ts";
import type { ProbeRecord } from "../records.ts";
import type { Reason, State, Verdict } from "../verdict.ts";
import { combineVantages, defaultQuorum } from "./overall.ts";
import { applyVerdict, type VantageState } from "./vantage.ts";

export interface VantageMemory extends VantageState {
  chain: ChainMemory;
  height?: number;
}

export interface OverallState {
  state: State;
  since: number;
  reasons: Reason[];
}

/** Everything the state object remembers about one monitor; rebuilt by replaying results. */
export interface MonitorMemory {
  vantages: Record<string, VantageMemory>;
  overall: OverallState;
}

export interface Step {
  memory: MonitorMemory;
  /** The overall state before this step, when it changed. */
  changedFrom?: State;
  instant: Verdict;
  referenceHeight?: number;
}

export function quorumOf(monitor: Monitor): number {
  return monitor.quorum ?? defaultQuorum(monitor.regions.length);
}

function withOverall(
  monitor: Monitor,
  prev: MonitorMemory | undefined,
  vantages: Record<string, VantageMemory>,
  at: number,
) {
  const verdict = combineVantages(vantages, quorumOf(monitor));
  const before = prev?.overall;
  const changed = before === undefined || before.state !== verdict.state;
  const overall: OverallState = {
    state: verdict.state,
    since: changed ? at : before.since,
    reasons: verdict.reasons,
  };
  return { memory: { vantages, overall }, changedFrom: changed ? (before?.state ?? "unknown") : undefined };
}

/** Folds one probe record into a monitor's memory: evaluate, apply thresholds, combine vantages. */
export function applyRecord(
  prev: MonitorMemory | undefined,
  monitor: Monitor,
  record: ProbeRecord,
  network: { networkHeight?: number; networkVersion?: string },
): Step {
  const now = record.checkedAt;
  const before = prev?.vantages[record.vantage];
  const evaluation = evaluateResult(monitor, record.result, { now, previous: before?.chain, ...network });
  const vantage = applyVerdict(
    before,
    evaluation.verdict,
    { failure: monitor.failureThreshold, recovery: monitor.recoveryThreshold },
    now,
    record.result.latencyMs,
  );
  const vantages = {
    ...prev?.vantages,
    [record.vantage]: {
      ...vantage,
      chain: evaluation.memory,
      height: record.result.facts?.height ?? before?.height,
    },
  };
  const next = withOverall(monitor, prev, vantages, now);
  return { ...next, instant: evaluation.verdict, referenceHeight: evaluation.referenceHeight };
}

/** How long a vantage may stay silent before its view is no longer believed. */
export function staleAfterMs(monitor: Monitor): number {
  return 3 * monitor.intervalSec * 1000 + monitor.timeoutMs;
}

/**
 * Vantages that stopped reporting become `unknown`: a gap is never counted as up.
 * Returns undefined when nothing changed.
 */
export function sweepStale(prev: MonitorMemory | undefined, monitor: Monitor, now: number): Step | undefined {
  const limit = staleAfterMs(monitor);
  const vantages = { ...prev?.vantages };
  let touched = false;
  for (const region of monitor.regions) {
    const v = vantages[region];
    if (!v || v.state === "unknown") continue;
    const silentFor = now - v.checkedAt;
    if (silentFor <= limit) continue;
    touched = true;
    const reason: Reason = {
      code: "no_results",
      severity: "info",
      message: `no results from ${region} for ${Math.round(silentFor / 1000)} s`,
    };
    vantages[region] = {
      ...v,
      state: "unknown",
      since: now,
      reasons: [reason],
      instant: "unknown",
      streak: undefined,
    };
  }
  if (!touched) return undefined;
  const next = withOverall(monitor, prev, vantages, now);
  return { ...next, instant: { state: "unknown", reasons: [] } };
}
