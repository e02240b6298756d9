import { Hono } from "hono";
import {
  chooseProfile,
  DEFAULT_PROFILE,
  fleetOfMonitors,
  type Projection,
  projectMonthlyCost,
} from "../../core/cost/project.ts";
import { emptySketch, mergeSketches, quantile, type Sketch } from "../../core/sketch.ts";
import { emptyTally, mergeTallies } from "../../core/start-tally.ts";
import { probers, stateShards } from "../../core/topology.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";

/** A timing over every prober since it was created: p50, p99 and max (ms), and the merged sketch. */
function timingOf<P>(
  stats: P[],
  sketchOf: (p: P) => Sketch | undefined,
  maxOf: (p: P) => number | undefined,
) {
  const sketch = stats.reduce<Sketch>((all, p) => mergeSketches(all, sketchOf(p)), emptySketch());
  const q = (x: number) => quantile(sketch, x) ?? null;
  return {
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxMs: stats.reduce((m, p) => Math.max(m, maxOf(p) ?? 0), 0),
    sketch,
  };
}

function timing(sketch: Sketch, maxMs: number) {
  const q = (x: number) => quantile(sketch, x) ?? null;
  return { p50Ms: q(0.5), p99Ms: q(0.99), maxMs, sketch };
}

export const usageRoutes = new Hono<{ Bindings: Env }>();

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

function summary(p: Projection) {
  return {
    fleet: { ...p.fleet, regions: round(p.fleet.regions, 3), intervalSec: round(p.fleet.intervalSec, 3) },
    probesPerMonth: Math.round(p.probesPerMonth),
    totalUsd: round(p.totalUsd, 2),
    withinIncluded: p.withinIncluded,
    lines: p.lines.map((l) => ({ ...l, quantity: Math.round(l.quantity), usd: round(l.usd, 2) })),
  };
}

/**
 * What the deployment has done since its objects were created: probes, Durable Object requests,
 * rows written, KV writes and subrequests, and what that costs a month at Cloudflare's prices.
 * The objects keep these counters inside rows they write anyway, so eviction does not reset them:
 * a prober's as of its last slots row (at most a minute old), a state object's exact up to its
 * last checkpoint and then counted from replay (its start timings as of the checkpoint).
 *
 * Durable Object requests counted: every prober alarm and every "probe now" or confirmation call
 * to a prober, every batch a state object ingested (one RPC), every report to the board (one
 * RPC) and every KV write (the board's coalescing alarm). The cron's watchdog calls and API reads
 * (this endpoint's own calls included) are not counted. Subrequests: one fetch per probe and one
 * per KV write (the calls to the probe runner are subrequests too, and billed as nothing).
 */
usageRoutes.get("/usage", async (c) => {
  const env = c.env;
  const config = loadConfig(env);
  const proberAddresses = probers(config);
  const proberStats = await Promise.all(
    proberAddresses.map((p) => env.PROBER.getByName(p.name, { locationHint: p.region }).stats()),
  );
  const shardNames = stateShards(config);
  const stateStats = await Promise.all(shardNames.map((s) => env.STATE.getByName(s).stats()));
  const boardStats = await env.BOARD.getByName("global").stats();
  const probes = proberStats.reduce((n, p) => n + p.probes, 0);
  // When scheduled probes really started, as the state objects saw their records arrive.
  const starts = stateStats.reduce((all, s) => mergeTallies(all, s.starts), emptyTally());
  const ticks = proberStats.reduce((n, p) => n + p.ticks, 0);
  const forcedRuns = proberStats.reduce((n, p) => n + (p.forcedRuns ?? 0), 0);
  const batches = stateStats.reduce((n, s) => n + s.batches, 0);
  const duplicateSlots = stateStats.reduce((n, s) => n + (s.duplicateSlots ?? 0), 0);
  const rows = {
    probers: proberStats.reduce((n, p) => n + p.rowsWritten, 0),
    state: stateStats.reduce((n, s) => n + s.rowsWritten, 0),
    board: boardStats.rowsWritten,
  };
  const totalRows = rows.probers + rows.state + rows.board;
  const doRequests = {
    proberTicks: ticks,
    proberForcedRuns: forcedRuns,
    stateBatches: batches,
    boardReports: boardStats.reports,
    boardWrites: boardStats.flushes,
  };
  const totalDoRequests = ticks + forcedRuns + batches + boardStats.reports + boardStats.flushes;
  const subrequests = probes + boardStats.kvWrites;
  // Duration bills wall-clock time with a handler running; each object counts overlapping ones once.
  const activeMs = {
    probers: proberStats.reduce((n, p) => n + (p.active?.activeMs ?? 0), 0),
    state: stateStats.reduce((n, s) => n + (s.active?.activeMs ?? 0), 0),
    board: boardStats.active?.activeMs ?? 0,
  };
  const totalActiveMs = activeMs.probers + activeMs.state + activeMs.board;
  const tickActive = timingOf(
    proberStats,
    (p) => p.tickActive,
    () => 0,
  );
  const firsts = proberStats.map((p) => p.since).filter((t): t is number => t !== undefined);
  const elapsedSec = firsts.length ? (Date.now() - Math.min(...firsts)) / 1000 : 0;
  const minutes = elapsedSec / 60;
  const perProbe = (n: number) => (probes ? n / probes : null);
  const perMinute = (n: number) => (minutes > 0 ? n / minutes : null);

  const chosen = chooseProfile({
    probes,
    doRequests: totalDoRequests,
    rowsWritten: totalRows,
    kvWrites: boardStats.kvWrites,
    elapsedSec,
    doActiveMs: totalActiveMs,
  });
  const profile = chosen.profile;
  const thisFleet = projectMonthlyCost(fleetOfMonitors(config.monitors), profile);
  return c.json({
    monitors: config.monitors.length,
    probes,
    elapsedSec: Math.round(elapsedSec),
    probesPerSecond: elapsedSec > 0 ? probes / elapsedSec : null,
    // On time: started within ON_TIME_TOLERANCE_MS (1 s) of its slot's start; a skipped probe is not.
    onTimeRatio:
      starts.probes + starts.shed ? (starts.probes - starts.late) / (starts.probes + starts.shed) : null,
    scheduledStarts: starts.probes,
    lateStarts: starts.late,
    // Scheduled probes skipped past the engine's ceiling (core/shed.ts), not in scheduledStarts.
    shedProbes: starts.shed,
    // Start minus slot start of scheduled probes (the runner's clock at the probe's start)…
    startLateness: timing(starts.lateness, starts.maxLateMs),
    // …and of it, the time from the prober's hand-off to the start (the hop to a runner, any wait
    // for a connection); the rest is the prober's alarm coming late.
    queueWait: timing(starts.waited, starts.maxWaitedMs),
    // The prober's side: hand-off minus slot start.
    handoffLateness: timingOf(
      proberStats,
      (p) => p.lateness,
      (p) => p.maxLateMs,
    ),
    failedHandoffs: proberStats.reduce((n, p) => n + (p.failedHandoffs ?? 0), 0),
    // Scheduled probes of a monitor from one vantage in a slot it was already probed in (must be 0).
    duplicateSlots,
    ticks,
    batches,
    operations: {
      probes,
      doRequests: { ...doRequests, total: totalDoRequests },
      rowsWritten: { ...rows, total: totalRows },
      kvWrites: boardStats.kvWrites,
      subrequests,
      doActiveMs: { ...activeMs, total: Math.round(totalActiveMs) },
    },
    // Wall-clock time of a prober's scheduled tick, alarm start to alarm end (ms).
    proberTickActive: {
      p50Ms: tickActive.p50Ms,
      p99Ms: tickActive.p99Ms,
      meanMs: ticks ? activeMs.probers / ticks : null,
      sketch: tickActive.sketch,
    },
    perProbe: {
      doActiveMs: perProbe(totalActiveMs),
      doRequests: perProbe(totalDoRequests),
      rowsWritten: perProbe(totalRows),
      kvWrites: perProbe(boardStats.kvWrites),
      subrequests: perProbe(subrequests),
    },
    perMinute: {
      probes: perMinute(probes),
      doRequests: perMinute(totalDoRequests),
      rowsWritten: perMinute(totalRows),
      kvWrites: perMinute(boardStats.kvWrites),
    },
    // Per object, to see a hot one (and for tests that own a region or a network).
    byProber: proberAddresses.map((p, i) => {
      const st = proberStats[i];
      return {
        name: p.name,
        ticks: st?.ticks ?? 0,
        forcedRuns: st?.forcedRuns ?? 0,
        probes: st?.probes ?? 0,
        onTime: st?.onTime ?? 0,
        lateStarts: st?.lateStarts ?? 0,
        rowsWritten: st?.rowsWritten ?? 0,
      };
    }),
    byStateShard: shardNames.map((name, i) => {
      const st = stateStats[i];
      return {
        name,
        batches: st?.batches ?? 0,
        records: st?.records ?? 0,
        scheduledStarts: st?.starts?.probes ?? 0,
        lateStarts: st?.starts?.late ?? 0,
        shedProbes: st?.starts?.shed ?? 0,
        rowsWritten: st?.rowsWritten ?? 0,
      };
    }),
    // Kept from before: the names npm start and earlier scripts print.
    rowsWritten: { ...rows, total: totalRows },
    rowsWrittenPerProbe: perProbe(totalRows),
    kvWrites: boardStats.kvWrites,
    boardReports: boardStats.reports,
    projectedMonthlyCost: {
      pricesAsOf: thisFleet.pricesAsOf,
      profile: { source: chosen.source, why: chosen.why, ...DEFAULT_PROFILE, ...profile },
      thisDeployment: summary(thisFleet),
      monitors1000x3x30s: summary(
        projectMonthlyCost({ monitors: 1000, regions: 3, intervalSec: 30 }, profile),
      ),
      monitors10000x3x30s: summary(
        projectMonthlyCost({ monitors: 10_000, regions: 3, intervalSec: 30 }, profile),
      ),
    },
  });
});
