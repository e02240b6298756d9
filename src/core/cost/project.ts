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
 * The design's figures before measuring: one alarm per prober tick and one ingest call per state
 * object per tick (about 8 probes per tick per shard at 50 monitors, 30 s, 5 s grid → ≈ 0.25),
 * ≤ 0.1 rows per probe, a probe of ~300 ms shared by 6 in flight, one snapshot write a minute,
 * the cron plus a status view a second.
 */
export const DEFAULT_PROFILE: UsageProfile = {
  doRequestsPerProbe: 0.25,
  rowsWrittenPerProbe: 0.1,
  rowsReadPerProbe: 0.05,
  doActiveMsPerProbe: 50,
  kvWritesPerMinute: 1,
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
    line("workerCpuMs", workerRequests * p.workerCpuMsPerRequest),
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

/** Usage counted by a deployment (GET /api/v1/usage), turned into a profile; unmeasured fields stay default. */
export function profileFromCounts(counts: {
  probes: number;
  doRequests: number;
  rowsWritten: number;
  kvWrites: number;
  elapsedSec: number;
}): Partial<UsageProfile> {
  if (counts.probes <= 0) return {};
  const profile: Partial<UsageProfile> = {
    doRequestsPerProbe: counts.doRequests / counts.probes,
    rowsWrittenPerProbe: counts.rowsWritten / counts.probes,
  };
  if (counts.elapsedSec >= 60) profile.kvWritesPerMinute = counts.kvWrites / (counts.elapsedSec / 60);
  return profile;
}
