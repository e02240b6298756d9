import { quantile, type Sketch, sketchDelta } from "../../src/core/sketch.ts";
/** The parts of GET /api/v1/usage the benchmark reads. */
export interface UsageSnapshot {
  probes: number;
  operations: {
    doRequests: { total: number };
    rowsWritten: { probers: number; state: number; board: number; total: number };
    kvWrites: number;
    subrequests: number;
    doActiveMs?: { probers: number; state: number; board: number; total: number };
  };
  proberTickActive?: { sketch: Sketch };
  byProber: { name: string; ticks: number; probes: number; onTime: number; lateStarts?: number }[];
  byStateShard: { name: string; batches: number; records: number }[];
  startLateness?: { sketch: Sketch; maxMs: number };
  queueWait?: { sketch: Sketch; maxMs: number };
  duplicateSlots?: number;
  /** Scheduled probes whose start the state objects counted, and of them, the late ones. */
  scheduledStarts?: number;
  lateStarts?: number;
  /** Scheduled probes the engine skipped past its ceiling (not in scheduledStarts). */
  shedProbes?: number;
}

export async function readUsage(base: string): Promise<UsageSnapshot & { at: number }> {
  // An overloaded Worker may not answer at all; a minute is long enough to call it that.
  const res = await fetch(`${base}/api/v1/usage`, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`GET /api/v1/usage: ${res.status} ${await res.text()}`);
  return { ...((await res.json()) as UsageSnapshot), at: Date.now() };
}

export interface UsageDelta {
  seconds: number;
  probes: number;
  onTime: number;
  /** Scheduled probes that started in the window, and of them, more than 1 s after their slot began. */
  scheduledStarts: number;
  lateStarts: number;
  /** Scheduled probes skipped in the window (they never started: not on time). */
  shedProbes: number;
  /** Start minus slot start over the window (ms); max is since the probers were created. */
  lateness: { p50Ms: number | null; p99Ms: number | null; maxMsEver: number };
  /** Of the lateness, the wait for a free connection (ms). */
  queueWait: { p50Ms: number | null; p99Ms: number | null; maxMsEver: number };
  /** Scheduled probes in a slot their vantage had already probed (must be 0). */
  duplicateSlots: number;
  ticks: number;
  doRequests: number;
  rowsWritten: number;
  /** Of rowsWritten, by kind of object. */
  rowsBy: { probers: number; state: number; board: number };
  kvWrites: number;
  subrequests: number;
  /** Wall-clock ms the Durable Objects had a handler running over the window, per kind and in all. */
  doActiveMs: { probers: number; state: number; board: number; total: number };
  /** A prober's scheduled tick, alarm start to alarm end (ms), over the window. */
  tickActive: { p50Ms: number | null; p99Ms: number | null; meanMs: number | null };
  /** Probes per prober object over the window, to see a hot one. */
  probesByProber: number[];
  /** Batches per state object over the window. */
  batchesByShard: { name: string; batches: number; records: number }[];
}

/** Started within the tolerance, of all scheduled probes in the window (a skipped one is not on time). */
export function onTimeShare(d: UsageDelta): number | null {
  const all = d.scheduledStarts + d.shedProbes;
  return all ? (d.scheduledStarts - d.lateStarts) / all : null;
}

export function usageDelta(a: UsageSnapshot & { at: number }, b: UsageSnapshot & { at: number }): UsageDelta {
  const before = new Map(a.byProber.map((p) => [p.name, p]));
  const shardsBefore = new Map(a.byStateShard.map((s) => [s.name, s]));
  const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
  return {
    seconds: (b.at - a.at) / 1000,
    probes: b.probes - a.probes,
    onTime: sum(b.byProber.map((p) => p.onTime - (before.get(p.name)?.onTime ?? 0))),
    lateness: timingBetween(a.startLateness, b.startLateness),
    queueWait: timingBetween(a.queueWait, b.queueWait),
    duplicateSlots: (b.duplicateSlots ?? 0) - (a.duplicateSlots ?? 0),
    scheduledStarts: (b.scheduledStarts ?? 0) - (a.scheduledStarts ?? 0),
    lateStarts: (b.lateStarts ?? 0) - (a.lateStarts ?? 0),
    shedProbes: (b.shedProbes ?? 0) - (a.shedProbes ?? 0),
    ticks: sum(b.byProber.map((p) => p.ticks - (before.get(p.name)?.ticks ?? 0))),
    doRequests: b.operations.doRequests.total - a.operations.doRequests.total,
    rowsWritten: b.operations.rowsWritten.total - a.operations.rowsWritten.total,
    rowsBy: {
      probers: b.operations.rowsWritten.probers - a.operations.rowsWritten.probers,
      state: b.operations.rowsWritten.state - a.operations.rowsWritten.state,
      board: b.operations.rowsWritten.board - a.operations.rowsWritten.board,
    },
    kvWrites: b.operations.kvWrites - a.operations.kvWrites,
    subrequests: b.operations.subrequests - a.operations.subrequests,
    doActiveMs: activeBetween(a.operations.doActiveMs, b.operations.doActiveMs),
    tickActive: tickActiveBetween(a, b),
    probesByProber: b.byProber.map((p) => p.probes - (before.get(p.name)?.probes ?? 0)),
    batchesByShard: b.byStateShard.map((s) => ({
      name: s.name,
      batches: s.batches - (shardsBefore.get(s.name)?.batches ?? 0),
      records: s.records - (shardsBefore.get(s.name)?.records ?? 0),
    })),
  };
}

function timingBetween(
  a: { sketch: Sketch } | undefined,
  b: { sketch: Sketch; maxMs: number } | undefined,
): UsageDelta["lateness"] {
  if (!b) return { p50Ms: null, p99Ms: null, maxMsEver: 0 };
  const d = sketchDelta(b.sketch, a?.sketch);
  return {
    p50Ms: quantile(d, 0.5) ?? null,
    p99Ms: quantile(d, 0.99) ?? null,
    maxMsEver: b.maxMs,
  };
}

const ACTIVE_KINDS = ["probers", "state", "board", "total"] as const;

function activeBetween(
  a: UsageSnapshot["operations"]["doActiveMs"],
  b: UsageSnapshot["operations"]["doActiveMs"],
): UsageDelta["doActiveMs"] {
  const out = { probers: 0, state: 0, board: 0, total: 0 };
  for (const k of ACTIVE_KINDS) out[k] = (b?.[k] ?? 0) - (a?.[k] ?? 0);
  return out;
}

function tickActiveBetween(a: UsageSnapshot, b: UsageSnapshot): UsageDelta["tickActive"] {
  if (!b.proberTickActive) return { p50Ms: null, p99Ms: null, meanMs: null };
  const d = sketchDelta(b.proberTickActive.sketch, a.proberTickActive?.sketch);
  const ticks = b.byProber.reduce((n, p) => n + p.ticks, 0) - a.byProber.reduce((n, p) => n + p.ticks, 0);
  const proberMs = (b.operations.doActiveMs?.probers ?? 0) - (a.operations.doActiveMs?.probers ?? 0);
  return {
    p50Ms: quantile(d, 0.5) ?? null,
    p99Ms: quantile(d, 0.99) ?? null,
    meanMs: ticks > 0 ? proberMs / ticks : null,
  };
}
