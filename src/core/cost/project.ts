import { DO_BILLED_GB, PRICES, PRICES_AS_OF, type PricedItem, WORKERS_PAID_BASE_USD } from "./prices.ts";

/** Seconds in the 30-day month the projection bills. */
export const MONTH_SEC = 30 * 24 * 3600;

/** A deployment's shape: what it probes, from where, how often. */
export interface Fleet {
  monitors: number;
  regions: number;
  intervalSec: number;
}

/**
 * What one probe costs in operations, measured (GET /api/v1/usage, npm run bench) or assumed.
 * Per-minute figures are for things that do not grow with probes (the KV snapshot, the cron).
 */
export interface UsageProfile {
  /** Durable Object requests (alarms, RPC calls) per probe. */
  doRequestsPerProbe: number;
  /** SQLite rows written per probe, all objects together. */
  rowsWrittenPerProbe: number;
  /** SQLite rows read per probe (replays, reads of state); small. */
  rowsReadPerProbe: number;
  /** Wall-clock milliseconds a Durable Object is billed as active per probe. */
  doActiveMsPerProbe: number;
  /**
   * Worker CPU milliseconds per probe: the probe runner's, billed as Workers CPU time (a prober
   * object's own CPU is inside its duration).
   */
  workerCpuMsPerProbe: number;
  /** KV writes per minute in steady state (the public snapshot). */
  kvWritesPerMinute: number;
  /** Worker (not Durable Object) invocations per minute: the cron watchdog plus API traffic. */
  workerRequestsPerMinute: number;
  /** CPU ms per Worker invocation. */
  workerCpuMsPerRequest: number;
  /** KV reads per minute (status API and page traffic). */
  kvReadsPerMinute: number;
  /** Stored data, GB (packed results, rollups, incidents). */
  storageGb: number;
}

/**
 * The reference profile: `npm run bench -- --monitors 1000 --seconds 120` (http checks every 30 s,
 * one region, 2026-12-02, probes in the runner, 500 monitors per prober, phases on a 1 s grid,
 * wrangler's local trace collector off): 0.025 Durable Object requests, 0.015 rows written, 0.05 ms
 * of Durable Object activity (alarm and call wall time) and 0.53 ms of CPU per probe (all of
 * workerd's, an upper bound for the runner's; the higher of the day's two runs, 0.50 and 0.53),
 * 3 KV writes a minute. Assumed, since nothing local measures them: the cron plus a status view a
 * second, 60 KV reads a minute, 0.05 rows read per probe, 1 GB stored. See docs/cost.md. The
 * README's projected bill is this profile's projection (a test keeps them equal).
 */
export const DEFAULT_PROFILE: UsageProfile = {
  doRequestsPerProbe: 0.025,
  rowsWrittenPerProbe: 0.015,
  rowsReadPerProbe: 0.05,
  doActiveMsPerProbe: 0.05,
  workerCpuMsPerProbe: 0.53,
  kvWritesPerMinute: 3,
  workerRequestsPerMinute: 61,
  workerCpuMsPerRequest: 2,
  kvReadsPerMinute: 60,
  storageGb: 1,
};

export interface CostLine {
  item: PricedItem;
  unit: string;
  quantity: number;
  included: number;
  billable: number;
  usd: number;
}

export interface Projection {
  pricesAsOf: string;
  fleet: Fleet;
  probesPerMonth: number;
  lines: CostLine[];
  baseUsd: number;
  usageUsd: number;
  totalUsd: number;
  /** True when every line stays inside the Workers Paid plan's included usage. */
  withinIncluded: boolean;
}

export function probesPerMonth(fleet: Fleet): number {
  if (!(fleet.intervalSec > 0))
    throw new RangeError(`intervalSec must be positive, got ${fleet.intervalSec}`);
  return (fleet.monitors * fleet.regions * MONTH_SEC) / fleet.intervalSec;
}

function line(item: PricedItem, quantity: number): CostLine {
  const price = PRICES[item];
  const billable = Math.max(0, quantity - price.included);
  return {
    item,
    unit: price.unit,
    quantity,
    included: price.included,
    billable,
    usd: (billable / price.per) * price.usd,
  };
}

/** The monthly bill of `fleet` on Workers Paid, from the dated price table and a usage profile. */
export function projectMonthlyCost(fleet: Fleet, profile: Partial<UsageProfile> = {}): Projection {
  const p = { ...DEFAULT_PROFILE, ...profile };
  const probes = probesPerMonth(fleet);
  const minutes = MONTH_SEC / 60;
  const workerRequests = p.workerRequestsPerMinute * minutes;
  const lines = [
    line("workerRequests", workerRequests),
    line("workerCpuMs", workerRequests * p.workerCpuMsPerRequest + probes * p.workerCpuMsPerProbe),
    line("doRequests", probes * p.doRequestsPerProbe),
    line("doDurationGbSec", ((probes * p.doActiveMsPerProbe) / 1000) * DO_BILLED_GB),
    line("doRowsRead", probes * p.rowsReadPerProbe),
    line("doRowsWritten", probes * p.rowsWrittenPerProbe),
    line("doStorageGbMonth", p.storageGb),
    line("kvReads", p.kvReadsPerMinute * minutes),
    line("kvWrites", p.kvWritesPerMinute * minutes),
  ];
  const usageUsd = lines.reduce((sum, l) => sum + l.usd, 0);
  return {
    pricesAsOf: PRICES_AS_OF,
    fleet,
    probesPerMonth: probes,
    lines,
    baseUsd: WORKERS_PAID_BASE_USD,
    usageUsd,
    totalUsd: WORKERS_PAID_BASE_USD + usageUsd,
    withinIncluded: lines.every((l) => l.billable === 0),
  };
}

/**
 * The fleet a config amounts to, as one shape with the same probe rate: monitors with different
 * regions and intervals are averaged so that probesPerMonth(fleet) is exactly their sum.
 */
export function fleetOfMonitors(
  monitors: readonly { regions: readonly string[]; intervalSec: number }[],
): Fleet {
  const pairs = monitors.reduce((n, m) => n + m.regions.length, 0);
  const perSecond = monitors.reduce((n, m) => n + m.regions.length / m.intervalSec, 0);
  if (pairs === 0 || perSecond === 0) return { monitors: monitors.length, regions: 0, intervalSec: 30 };
  return { monitors: monitors.length, regions: pairs / monitors.length, intervalSec: pairs / perSecond };
}

/**
 * Below these a run says more about start-up (every monitor's first state change, shards of a few
 * monitors) than about a fleet in steady state: its per-probe figures are not extrapolated.
 */
export const REPRESENTATIVE_RUN = { probes: 5_000, elapsedSec: 300 };

export interface ChosenProfile {
  source: "measured" | "default";
  /** Why this profile, in a sentence. */
  why: string;
  profile: Partial<UsageProfile>;
}

/** The profile to project with: this deployment's own figures once its run is representative. */
export function chooseProfile(counts: Parameters<typeof profileFromCounts>[0]): ChosenProfile {
  const { probes, elapsedSec } = counts;
  if (probes >= REPRESENTATIVE_RUN.probes && elapsedSec >= REPRESENTATIVE_RUN.elapsedSec) {
    return {
      source: "measured",
      why: `this deployment's own per-probe figures (${probes} probes over ${Math.round(elapsedSec)} s)`,
      profile: profileFromCounts(counts),
    };
  }
  return {
    source: "default",
    why:
      `the reference profile (npm run bench at 1,000 monitors), as the README's figure: ` +
      `${probes} probes over ${Math.round(elapsedSec)} s are mostly start-up ` +
      `(at least ${REPRESENTATIVE_RUN.probes} probes and ${REPRESENTATIVE_RUN.elapsedSec} s are needed to project from them)`,
    profile: {},
  };
}

/** Usage counted by a deployment (GET /api/v1/usage), turned into a profile; unmeasured fields stay default. */
export function profileFromCounts(counts: {
  probes: number;
  doRequests: number;
  rowsWritten: number;
  kvWrites: number;
  elapsedSec: number;
  /**
   * Wall-clock ms the Durable Objects had a handler running, all together (alarm start to alarm
   * end, RPC call to its return): the measured duration, in place of the assumed 50 ms per probe.
   */
  doActiveMs?: number;
  /** CPU ms spent on probing, where measured (the benchmark reads workerd's CPU time). */
  workerCpuMs?: number;
}): Partial<UsageProfile> {
  if (counts.probes <= 0) return {};
  const profile: Partial<UsageProfile> = {
    doRequestsPerProbe: counts.doRequests / counts.probes,
    rowsWrittenPerProbe: counts.rowsWritten / counts.probes,
  };
  if (counts.doActiveMs !== undefined) profile.doActiveMsPerProbe = counts.doActiveMs / counts.probes;
  if (counts.workerCpuMs !== undefined) profile.workerCpuMsPerProbe = counts.workerCpuMs / counts.probes;
  if (counts.elapsedSec >= 60) profile.kvWritesPerMinute = counts.kvWrites / (counts.elapsedSec / 60);
  return profile;
}
