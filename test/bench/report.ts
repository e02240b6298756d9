import type { UsageProfile } from "../../src/core/cost/project.ts";
import type { RouteFigures } from "./readers.ts";

interface Overhead {
  p50: number;
  p99: number;
  samples: number;
}
interface PerProbeMinute {
  perProbe: number | null;
  perMinute: number;
}
interface Projected {
  monitors: number;
  totalUsd: number;
  withinIncluded: boolean;
  lines: { item: string; usd: number }[];
}

export interface BenchReport {
  at: string;
  machine: { cpus: number };
  monitors: number;
  kind: string;
  intervalSec: number;
  seconds: number;
  servedDelayMs: number;
  ours: {
    probes: number;
    expectedProbesPerSecond: number;
    probesPerSecond: number;
    onTimeRatio: number | null;
    /** Scheduled probes skipped past the engine's ceiling (core/shed.ts). */
    shedProbes: number;
    startLateMs: { p50: number | null; p99: number | null };
    /** Of the lateness, the prober's hand-off to the probe's start (the rest is the alarm coming late). */
    queueWaitMs: { p50: number | null; p99: number | null };
    /** Scheduled probes in a slot already probed from the same vantage (must be 0). */
    duplicateSlots: number;
    overheadMs: Overhead;
    cpuSec: number;
    cpuSecPer1000Probes: number | null;
    /** workerd's resident memory over the window (sampled), mean and peak. */
    rssMiB?: { meanMiB: number; peakMiB: number };
    /** wrangler's proxy in front of the Worker (a second workerd; not ours, not in production). */
    proxyRssMiB?: { meanMiB: number; peakMiB: number };
    /** The Worker's JavaScript heap in use after a full collection, at the window's start and end. */
    heapMiB?: { start: number; end: number };
    doRequests: PerProbeMinute;
    rowsWritten: PerProbeMinute;
    kvWrites: PerProbeMinute;
    subrequests: PerProbeMinute;
    sharding: {
      proberObjects: number;
      probesPerTick: number | null;
      hottestProberShare: number | null;
      maxInFlightFleetWide: number;
      /** What one hand-off may have open: 6 connections in each of its runner invocations. */
      inFlightBound: number;
      stateObjects: { name: string; batchesPerSecond: number; recordsPerSecond: number }[];
    };
    statusApi: {
      monitors: number;
      connections: number;
      requests: number;
      errors: number;
      requestsPerSecond: number;
      p50Ms: number;
      p99Ms: number;
    };
  };
  peer?: {
    version: string;
    probes: number;
    failures: number;
    probesPerSecond: number;
    onTimeRatio: number | null;
    startLateMs: { p50: number | null; p99: number | null };
    overheadMs: Overhead;
    cpuSec: number;
    cpuSecPer1000Probes: number | null;
  };
  /** --readers: the read load beside the window without it. */
  reads?: {
    readers: number;
    seconds: number;
    routes: RouteFigures[];
    onTimeRatio: { without: number | null; with: number | null };
    startLateP99Ms: { without: number | null; with: number | null };
    probesPerSecond: { without: number; with: number };
    rssMiB: { without: { meanMiB: number; peakMiB: number }; with: { meanMiB: number; peakMiB: number } };
    doRequestsPerMinute: { without: number; with: number };
    extraDoRequestsPerRead: number;
  };
  ratios?: { cpuPerProbe: number | null; overheadP50: number | null; overheadP99: number | null };
  projectedMonthlyBill: {
    pricesAsOf: string;
    profile: UsageProfile;
    /** Measured Durable Object activity behind profile.doActiveMsPerProbe. */
    activity: {
      doActiveMsPerProbe: { probers: number | null; state: number | null; board: number | null };
      rowsPerProbe: { probers: number | null; state: number | null; board: number | null };
      proberTick: { p50Ms: number | null; p99Ms: number | null; meanMs: number | null };
    };
    at1000: Projected;
    at10000: Projected;
  };
}

const num = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || Number.isNaN(x) ? "—" : x.toFixed(digits);
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : `${(x * 100).toFixed(2)} %`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function printReport(r: BenchReport): void {
  const o = r.ours;
  const p = r.peer;
  console.log(
    `\nchain-uptime benchmark: ${r.monitors} ${r.kind} monitors every ${r.intervalSec} s, ${num(r.seconds, 0)} s window, ` +
      `${r.machine.cpus} CPUs, simulator serves every answer ${r.servedDelayMs} ms late\n`,
  );
  console.log(
    table([
      ["", "chain-uptime (workerd)", "blackbox_exporter", "ours ÷ theirs"],
      ["probes in window", String(o.probes), p ? String(p.probes) : "—", ""],
      [
        "probes/s sustained",
        `${num(o.probesPerSecond)} (of ${num(o.expectedProbesPerSecond)})`,
        p ? num(p.probesPerSecond) : "—",
        "",
      ],
      ["on-time ratio (started ≤ 1 s after slot)", pct(o.onTimeRatio), p ? pct(p.onTimeRatio) : "—", ""],
      ["probes skipped past the ceiling", String(o.shedProbes), "—", "must be 0 below the ceiling"],
      [
        "start lateness p50 / p99 (ms)",
        `${num(o.startLateMs.p50, 0)} / ${num(o.startLateMs.p99, 0)}`,
        p ? `${num(p.startLateMs.p50, 0)} / ${num(p.startLateMs.p99, 0)}` : "—",
        "",
      ],
      [
        "  of it, hand-off → start p50 / p99 (ms)",
        `${num(o.queueWaitMs.p50, 0)} / ${num(o.queueWaitMs.p99, 0)}`,
        "—",
        "",
      ],
      ["duplicate probes in one slot", String(o.duplicateSlots), "—", ""],
      [
        "probe overhead p50 (ms)",
        num(o.overheadMs.p50, 1),
        p ? num(p.overheadMs.p50, 1) : "—",
        num(r.ratios?.overheadP50),
      ],
      [
        "probe overhead p99 (ms)",
        num(o.overheadMs.p99, 1),
        p ? num(p.overheadMs.p99, 1) : "—",
        num(r.ratios?.overheadP99),
      ],
      [
        "CPU s per 1,000 probes",
        num(o.cpuSecPer1000Probes, 3),
        p ? num(p.cpuSecPer1000Probes, 3) : "—",
        num(r.ratios?.cpuPerProbe),
      ],
      [
        "workerd RSS mean / peak (MiB)",
        o.rssMiB ? `${num(o.rssMiB.meanMiB, 0)} / ${num(o.rssMiB.peakMiB, 0)}` : "—",
        "—",
        "",
      ],
      [
        "  of it, JS heap after GC, start → end",
        o.heapMiB ? `${num(o.heapMiB.start, 0)} → ${num(o.heapMiB.end, 0)}` : "—",
        "",
        "",
      ],
      [
        "  wrangler's proxy workerd (not counted)",
        o.proxyRssMiB ? `${num(o.proxyRssMiB.meanMiB, 0)} / ${num(o.proxyRssMiB.peakMiB, 0)}` : "—",
        "",
        "",
      ],
      ["probe failures", "", p ? String(p.failures) : "—", ""],
    ]),
  );
  console.log("\nstorage and requests (ours)");
  console.log(
    table([
      ["", "per probe", "per minute"],
      ["Durable Object requests", num(o.doRequests.perProbe, 3), num(o.doRequests.perMinute, 1)],
      ["SQLite rows written", num(o.rowsWritten.perProbe, 3), num(o.rowsWritten.perMinute, 1)],
      ["KV writes", num(o.kvWrites.perProbe, 4), num(o.kvWrites.perMinute, 2)],
      ["subrequests", num(o.subrequests.perProbe, 3), num(o.subrequests.perMinute, 1)],
    ]),
  );
  const s = o.sharding;
  const hottestState = [...s.stateObjects].sort((a, b) => b.batchesPerSecond - a.batchesPerSecond)[0];
  console.log("\nsharding");
  console.log(
    table([
      ["prober objects", String(s.proberObjects)],
      ["probes per tick (mean)", num(s.probesPerTick, 1)],
      ["hottest prober ÷ mean", num(s.hottestProberShare)],
      [
        "requests open fleet-wide (max seen)",
        `${s.maxInFlightFleetWide} (at most 6 per runner invocation, ≤ ${s.inFlightBound} per hand-off)`,
      ],
      [
        "busiest state object",
        hottestState
          ? `${hottestState.name}: ${num(hottestState.batchesPerSecond, 1)} batches/s, ${num(hottestState.recordsPerSecond, 1)} records/s`
          : "—",
      ],
    ]),
  );
  const a = o.statusApi;
  console.log(
    `\nstatus API under load (${a.monitors} monitors, ${a.connections} connections): ` +
      `${num(a.requestsPerSecond, 0)} req/s, p50 ${num(a.p50Ms, 1)} ms, p99 ${num(a.p99Ms, 1)} ms, ${a.errors} errors`,
  );
  if (r.reads) printReads(r.reads);
  const b = r.projectedMonthlyBill;
  console.log(
    `\nprojected monthly Cloudflare bill (Workers Paid, prices as of ${b.pricesAsOf}, measured per-probe figures)`,
  );
  const prof = b.profile;
  const act = b.activity;
  console.log(
    table([
      ["assumption", "per probe", "from"],
      ["Durable Object requests", num(prof.doRequestsPerProbe, 3), "measured (alarms, RPC calls)"],
      [
        "SQLite rows written",
        num(prof.rowsWrittenPerProbe, 3),
        `measured: probers ${num(act.rowsPerProbe.probers, 3)}, state ${num(act.rowsPerProbe.state, 3)}, board ${num(act.rowsPerProbe.board, 3)}`,
      ],
      [
        "Durable Object active ms",
        num(prof.doActiveMsPerProbe, 2),
        `measured: probers ${num(act.doActiveMsPerProbe.probers, 2)}, state ${num(act.doActiveMsPerProbe.state, 2)}, board ${num(act.doActiveMsPerProbe.board, 2)}`,
      ],
      [
        "  a prober's tick, alarm start → end",
        `p50 ${num(act.proberTick.p50Ms, 0)} / p99 ${num(act.proberTick.p99Ms, 0)} / mean ${num(act.proberTick.meanMs, 0)} ms`,
        "measured; one workerd thread here, so waits for it count",
      ],
      [
        "Worker CPU ms (the probe runner)",
        num(prof.workerCpuMsPerProbe, 2),
        "measured: all of workerd's CPU per probe, an upper bound",
      ],
      ["KV writes per minute", num(prof.kvWritesPerMinute, 1), "measured"],
      [
        "Worker invocations per minute",
        `${num(prof.workerRequestsPerMinute, 0)} × ${num(prof.workerCpuMsPerRequest, 0)} CPU ms`,
        "assumed: the cron plus a status view a second",
      ],
    ]),
  );
  for (const x of [b.at1000, b.at10000]) {
    const items = x.lines.map((l) => `${l.item} $${l.usd.toFixed(2)}`).join(", ");
    console.log(
      `  ${x.monitors.toLocaleString("en")} monitors × 3 regions × 30 s: $${x.totalUsd.toFixed(2)}` +
        (x.withinIncluded ? " (within the plan's included usage)" : ` (above included usage: ${items})`),
    );
  }
}

function printReads(x: NonNullable<BenchReport["reads"]>): void {
  console.log(
    `\nread load: ${x.readers} readers round the public routes for ${x.seconds} s while probing goes on`,
  );
  console.log(
    table([
      ["route", "req/s", "p50 ms", "p99 ms", "errors", "304s"],
      ...x.routes.map((f) => [
        f.route,
        num(f.requestsPerSecond, 0),
        num(f.p50Ms, 1),
        num(f.p99Ms, 1),
        String(f.errors),
        String(f.notModified),
      ]),
    ]),
  );
  console.log(
    table([
      ["", "without readers", "with readers"],
      ["on-time ratio (started ≤ 1 s after slot)", pct(x.onTimeRatio.without), pct(x.onTimeRatio.with)],
      ["start lateness p99 (ms)", num(x.startLateP99Ms.without, 0), num(x.startLateP99Ms.with, 0)],
      ["probes/s", num(x.probesPerSecond.without), num(x.probesPerSecond.with)],
      [
        "workerd RSS mean / peak (MiB)",
        `${num(x.rssMiB.without.meanMiB, 0)} / ${num(x.rssMiB.without.peakMiB, 0)}`,
        `${num(x.rssMiB.with.meanMiB, 0)} / ${num(x.rssMiB.with.peakMiB, 0)}`,
      ],
      ["DO requests per minute", num(x.doRequestsPerMinute.without, 0), num(x.doRequestsPerMinute.with, 0)],
      ["extra DO requests per read", "", num(x.extraDoRequestsPerRead, 4)],
    ]),
  );
}
