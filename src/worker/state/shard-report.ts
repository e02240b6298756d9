import type { Incident } from "../../core/state/incident.ts";
import type { MonitorMemory } from "../../core/state/monitor.ts";
import type { Transition } from "../../core/uptime.ts";
import type { LatencySeries } from "./latency-series.ts";

/** A monitor as a state object reports it to the board: numbers, no names, no targets. */
export interface MonitorView {
  id: string;
  state: MonitorMemory["overall"]["state"];
  since: number;
  reasons: string[];
  height?: number;
  latencyMs?: number;
  checkedAt?: number;
  /** Earliest certificate expiry any vantage saw (unix ms), for tls-cert monitors. */
  certNotAfter?: number;
  vantages: {
    region: string;
    state: MonitorMemory["overall"]["state"];
    since: number;
    checkedAt: number;
    latencyMs?: number;
    height?: number;
    reasons: string[];
  }[];
}

export interface MonitorTransition extends Transition {
  monitorId: string;
}

/** A vantage's own state change (after thresholds), for per-region SLA time. */
export interface VantageTransition extends MonitorTransition {
  region: string;
}

export interface ShardReport {
  shard: string;
  at: number;
  /**
   * `full` (the periodic report): every monitor of the shard, replacing what the board held for
   * it. Otherwise (a report a change triggered) only the monitors whose visible state changed:
   * a change costs the board one row per changed monitor, not a rewrite of the whole shard.
   */
  full?: boolean;
  monitors: MonitorView[];
  transitions: MonitorTransition[];
  incidents: Incident[];
  /** Per-vantage state changes, recorded at change only; absent from older state objects. */
  vantageTransitions?: VantageTransition[];
  /** The shard's 24 h latency chart per monitor, every few minutes (absent in between). */
  latency?: Record<string, LatencySeries>;
  /**
   * `latency` covers only the monitors it names (their first results since the state object
   * started): the board adds them to what it holds instead of replacing the shard's charts.
   */
  latencyPartial?: boolean;
}

export function viewOf(id: string, memory: MonitorMemory): MonitorView {
  const vantages = Object.entries(memory.vantages)
    .map(([region, v]) => ({
      region,
      state: v.state,
      since: v.since,
      checkedAt: v.checkedAt,
      latencyMs: v.latencyMs,
      height: v.height,
      reasons: v.reasons.map((r) => r.message),
    }))
    .sort((a, b) => a.region.localeCompare(b.region));
  const live = vantages.filter((v) => v.state !== "unknown");
  const latencies = live.map((v) => v.latencyMs).filter((l): l is number => l !== undefined);
  const heights = live.map((v) => v.height).filter((h): h is number => h !== undefined);
  const certs = Object.values(memory.vantages)
    .map((v) => v.certNotAfter)
    .filter((t): t is number => t !== undefined);
  return {
    id,
    state: memory.overall.state,
    since: memory.overall.since,
    reasons: memory.overall.reasons.map((r) => r.message),
    height: heights.length ? Math.max(...heights) : undefined,
    latencyMs: latencies.length ? Math.min(...latencies) : undefined,
    checkedAt: vantages.length ? Math.max(...vantages.map((v) => v.checkedAt)) : undefined,
    certNotAfter: certs.length ? Math.min(...certs) : undefined,
    vantages,
  };
}
