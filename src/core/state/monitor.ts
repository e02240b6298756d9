import { agentIdOfVantage, monitorVantages } from "../agent/vantage.ts";
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
  /** Earliest expiry in the certificate chain this vantage last saw (tls-cert), unix ms. */
  certNotAfter?: number;
}

export interface OverallState {
  state: State;
  /**
   * Since when the node has been in this state as far as anyone could see: a gap of `unknown`
   * (a restart, an eviction, a silent checker) between two stretches of the same state does not
   * reset it — down, a gap, and down again is one outage.
   */
  since: number;
  /** When the overall state last changed, gaps included: the clock of the timeline and the rollups. */
  changedAt: number;
  /** The state and `since` before the current gap, while the state is `unknown`. */
  beforeGap?: { state: State; since: number };
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
  return monitor.quorum ?? defaultQuorum(monitorVantages(monitor).length);
}

/** Context from outside the monitor: its network, and a planned maintenance window covering it. */
export interface StepContext {
  networkHeight?: number;
  /** Why there is no network height: too few fresh voters. */
  networkShortOf?: { nodes: number; needed: number };
  networkVersion?: string;
  /** Title or id of the active maintenance window. */
  maintenance?: string;
}

function withOverall(
  monitor: Monitor,
  prev: MonitorMemory | undefined,
  vantages: Record<string, VantageMemory>,
  at: number,
  maintenance: string | undefined,
) {
  // Planned maintenance overrides what the vantages see: it is excluded from uptime and silences
  // alerts, while the vantages keep their own states for the operator.
  const verdict: Verdict = maintenance
    ? {
        state: "maintenance",
        reasons: [
          { code: "planned_maintenance", severity: "info", message: `planned maintenance: ${maintenance}` },
        ],
      }
    : combineVantages(vantages, quorumOf(monitor));
  const before = prev?.overall;
  const changed = before === undefined || before.state !== verdict.state;
  const overall: OverallState = changed
    ? afterChange(before, verdict, at)
    : { ...before, reasons: verdict.reasons, changedAt: before.changedAt ?? before.since };
  return { memory: { vantages, overall }, changedFrom: changed ? (before?.state ?? "unknown") : undefined };
}

/** The overall state after a change: into a gap remembers what came before; out of it resumes it. */
function afterChange(before: OverallState | undefined, verdict: Verdict, at: number): OverallState {
  const fresh: OverallState = { state: verdict.state, since: at, changedAt: at, reasons: verdict.reasons };
  if (before === undefined) return fresh;
  if (verdict.state === "unknown") {
    const beforeGap =
      before.state === "unknown" ? before.beforeGap : { state: before.state, since: before.since };
    return beforeGap ? { ...fresh, beforeGap } : fresh;
  }
  const resumed = before.state === "unknown" && before.beforeGap?.state === verdict.state;
  return resumed ? { ...fresh, since: before.beforeGap?.since ?? at } : fresh;
}

/** Folds one probe record into a monitor's memory: evaluate, apply thresholds, combine vantages. */
export function applyRecord(
  prev: MonitorMemory | undefined,
  monitor: Monitor,
  record: ProbeRecord,
  context: StepContext,
): Step {
  const now = record.checkedAt;
  const before = prev?.vantages[record.vantage];
  const evaluation = evaluateResult(monitor, record.result, {
    now,
    previous: before?.chain,
    networkHeight: context.networkHeight,
    networkShortOf: context.networkShortOf,
    networkVersion: context.networkVersion,
  });
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
      certNotAfter: record.result.facts?.cert?.earliestNotAfter ?? before?.certNotAfter,
    },
  };
  const next = withOverall(monitor, prev, vantages, now, context.maintenance);
  return { ...next, instant: evaluation.verdict, referenceHeight: evaluation.referenceHeight };
}

/** How long a vantage may stay silent before its view is no longer believed. */
export function staleAfterMs(monitor: Monitor): number {
  // A push monitor's caller may be late by its grace before it is down, and is not silent until then.
  const grace = monitor.check.kind === "push" ? monitor.check.graceSec * 1000 : 0;
  return 3 * monitor.intervalSec * 1000 + monitor.timeoutMs + grace;
}

/**
 * Vantages that stopped reporting become `unknown`: a gap is never counted as up.
 * Returns undefined when nothing changed.
 */
export function sweepStale(
  prev: MonitorMemory | undefined,
  monitor: Monitor,
  now: number,
  maintenance?: string,
): Step | undefined {
  const limit = staleAfterMs(monitor);
  const vantages = { ...prev?.vantages };
  let touched = false;
  for (const region of monitorVantages(monitor)) {
    const v = vantages[region];
    if (!v || v.state === "unknown") continue;
    const silentFor = now - v.checkedAt;
    if (silentFor <= limit) continue;
    touched = true;
    const agent = agentIdOfVantage(region);
    const reason: Reason =
      agent === undefined
        ? {
            code: "no_results",
            severity: "info",
            message: `no results from ${region} for ${Math.round(silentFor / 1000)} s`,
          }
        : {
            code: "agent_silent",
            severity: "info",
            message: `monitoring degraded: agent ${agent} silent for ${Math.round(silentFor / 1000)} s`,
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
  const maintenanceChanged =
    prev !== undefined && (prev.overall.state === "maintenance") !== (maintenance !== undefined);
  if (!touched && !maintenanceChanged) return undefined;
  const next = withOverall(monitor, prev, vantages, now, maintenance);
  return { ...next, instant: { state: "unknown", reasons: [] } };
}
