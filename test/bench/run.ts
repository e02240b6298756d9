import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCli } from "../../src/cli/args.ts";
import { PRICES_AS_OF } from "../../src/core/cost/prices.ts";
import { DEFAULT_PROFILE, profileFromCounts, projectMonthlyCost } from "../../src/core/cost/project.ts";
import { type LocalWorker, startLocalWorker } from "../../src/local/local-worker.ts";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import { MAX_CHILDREN } from "../../src/worker/prober/run-job.ts";
import { BLACKBOX_MISSING, type Blackbox, findBlackbox, runScheduler, startBlackbox } from "./blackbox.ts";
import {
  type BenchKind,
  benchConfig,
  benchLayout,
  benchTargets,
  inFlightAt,
  SERVED_DELAY_MS,
} from "./fleet.ts";
import { cpuProfile, heapUsage } from "./inspector.ts";
import { cpuDelta, cpuOf, workerdCpu, workerdRoles } from "./proc-cpu.ts";
import { type ReadRoute, readLoad, rssMiB, rssSampler } from "./readers.ts";
import { type BenchReport, printReport } from "./report.ts";
import { percentile, sleep } from "./stats.ts";
import { onTimeShare, readUsage, usageDelta } from "./usage-client.ts";

/**
 * `npm run bench`: our Worker (local workerd under wrangler dev) and Prometheus blackbox_exporter
 * probing the same simulated fleet at the same rate, one after the other, on this machine.
 *
 *   npm run bench -- --quick                       100 monitors, 50 s each side (≈ 2.5 min in all)
 *   npm run bench -- --monitors 1000 --seconds 120 1000 monitors every 30 s (100 | 1000 | 5000)
 *   npm run bench -- --ceiling [--rates 250,500,750,1000] [--interval 10] [--seconds 60]
 *                                                  the highest rate that starts ≥ 99.9 % on time, both
 *   npm run bench -- --monitors-per-shard N        the scheduler's shard size (default: the config's, 50)
 *   options: --kind http|casper (default http: generic HTTP checks on JSON endpoints; casper:
 *            casper-rest monitors on simulated Casper nodes, ≤ ~4,000 here), --interval 30,
 *            --no-peer, --load-seconds 10, --connections 10
 *
 * Prints a table and writes JSON to bench-results/.
 */
// `npm run bench -- --ceiling …`: the rate ladder of ceiling.ts instead of one run.
if (process.argv.includes("--ceiling")) {
  process.argv = process.argv.filter((a) => a !== "--ceiling");
  await import("./ceiling.ts"); // exits when done
}

const USAGE = `usage: npm run bench -- [--quick] [--monitors N] [--seconds S] [--interval S] [--kind http|casper] [--no-peer]

Our Worker (local workerd) and Prometheus blackbox_exporter probing the same simulated fleet.
  --quick             100 monitors, 50 s a side
  --monitors N        monitors (default 1000; 100 with --quick)
  --seconds S         measuring window per side (default 120; 50 with --quick)
  --interval S        probe interval (default 30)
  --kind K            http (JSON endpoints, default) or casper (casper-rest on simulated nodes)
  --no-peer           skip blackbox_exporter
  --load-seconds S    status API load test length (default 10)
  --connections N     its concurrent connections (default 10)
  --readers N         read load: N readers round every public route while probing goes on
                      (on-time ratio, RSS and DO requests beside the same figures without it)
  --read-seconds S    read load length (default 60)
  --monitors-per-shard N  monitors per prober object (default: the config default)
  --profile S         a CPU profile of the Worker over the window's first S seconds, written to
                      bench-results/ (open it in Chrome DevTools; profiling costs CPU: the window's
                      figures are not comparable then)
  --help              this text`;
const { values } = parseCli(USAGE, {
  monitors: { type: "string" },
  seconds: { type: "string" },
  interval: { type: "string", default: "30" },
  quick: { type: "boolean", default: false },
  kind: { type: "string", default: "http" },
  "no-peer": { type: "boolean", default: false },
  "load-seconds": { type: "string", default: "10" },
  connections: { type: "string", default: "10" },
  readers: { type: "string", default: "0" },
  "read-seconds": { type: "string", default: "60" },
  "monitors-per-shard": { type: "string" },
  profile: { type: "string" },
});
const monitors = Number(values.monitors ?? (values.quick ? 100 : 1000));
const seconds = Number(values.seconds ?? (values.quick ? 50 : 120));
const intervalSec = Number(values.interval);
const loadSeconds = Number(values["load-seconds"]);
const connections = Number(values.connections);
const readers = Number(values.readers);
const readSeconds = Number(values["read-seconds"]);
if (!(Number.isInteger(readers) && readers >= 0 && readers <= 256)) {
  console.error(`--readers: expected a whole number from 0 to 256, got ${values.readers}`);
  process.exit(2);
}
if (!(Number.isInteger(monitors) && monitors >= 1 && monitors <= 20_000)) {
  console.error(
    `--monitors: expected 100, 1000 or 5000 (any whole number up to 20000), got ${values.monitors}`,
  );
  process.exit(2);
}
for (const [name, v] of [
  ["--seconds", seconds],
  ["--interval", intervalSec],
  ["--load-seconds", loadSeconds],
  ["--connections", connections],
  ["--read-seconds", readSeconds],
] as const) {
  if (!(Number.isFinite(v) && v > 0)) {
    console.error(`${name}: expected a positive number, got ${v}`);
    process.exit(2);
  }
}
const perShard =
  values["monitors-per-shard"] === undefined ? undefined : Number(values["monitors-per-shard"]);
if (perShard !== undefined && !(Number.isInteger(perShard) && perShard >= 1 && perShard <= 1000)) {
  console.error(
    `--monitors-per-shard: expected a whole number from 1 to 1000, got ${values["monitors-per-shard"]}`,
  );
  process.exit(2);
}
const kind = values.kind as BenchKind;
if (kind !== "http" && kind !== "casper") {
  console.error(`--kind: expected http or casper, got ${values.kind}`);
  process.exit(2);
}
const root = join(import.meta.dirname, "..", "..");
const log = (s: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

const blackboxBin = values["no-peer"] ? undefined : findBlackbox();
if (!values["no-peer"] && !blackboxBin) console.log(`\n${BLACKBOX_MISSING}\n`);

let fleet: Fleet | undefined;
let worker: LocalWorker | undefined;
let blackbox: Blackbox | undefined;
let cron: NodeJS.Timeout | undefined;
const cleanup = async () => {
  clearInterval(cron);
  await worker?.stop();
  await blackbox?.stop();
  await fleet?.stop();
};
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

try {
  log(`starting ${monitors} simulated ${kind} endpoints (each answers ${SERVED_DELAY_MS} ms late)`);
  fleet = await startFleet(benchLayout(monitors, kind));
  const nodes = benchTargets(fleet, kind);
  const config = {
    ...benchConfig(nodes, kind, intervalSec),
    ...(perShard ? { scheduler: { monitorsPerShard: perShard } } : {}),
  };
  log("starting the Worker on local workerd (wrangler dev)");
  worker = await startLocalWorker({ config, dir: join(tmpdir(), `chain-uptime-bench-${process.pid}`) });
  const w = worker;
  const wranglerPid = w.child.pid as number;
  await w.cron(); // arms the probers; their alarms probe from here on
  cron = setInterval(() => void w.cron().catch(() => {}), 60_000);

  // Warm-up: every monitor has had its first probe (each waits for its own slot, so up to one
  // interval), its first verdict reported, and its network's first full report sent a minute
  // later (which clears the start-up's per-monitor rows at the board: ~1 row per monitor, once).
  const warmUntil = Date.now() + intervalSec * 1000 + 70_000;
  while (Date.now() < warmUntil) await sleep(1000);

  // Our side: probes, CPU and counters over the window.
  const sampleInFlight = inFlightSampler(fleet, kind, nodes);
  const roles = workerdRoles(wranglerPid, Number(new URL(w.url).port));
  const workerdPids = roles.worker;
  const calmRss = rssSampler(() => rssMiB(workerdPids));
  const proxyRss = rssSampler(() => rssMiB(roles.proxy));
  const heapStart = await heapUsage(w.inspectorPort);
  const u0 = await readUsage(w.url);
  const cpu0 = workerdCpu(wranglerPid);
  log(`measuring our side for ${seconds} s`);
  const profiled = values.profile ? cpuProfile(w.inspectorPort, Number(values.profile) * 1000) : undefined;
  await sleep(seconds * 1000);
  const cpuProfileJson = await profiled;
  const cpu1 = workerdCpu(wranglerPid);
  const u1 = await readUsage(w.url);
  const rssWithoutReaders = calmRss.stop();
  const rssProxy = proxyRss.stop();
  const heapEnd = await heapUsage(w.inspectorPort);
  const maxInFlight = sampleInFlight.stop();
  const d = usageDelta(u0, u1);
  const ourCpu = cpuDelta(cpu0, cpu1);

  let reads: BenchReport["reads"];
  if (readers > 0)
    reads = await measureReads(w.url, nodes[0]?.id as string, u0, u1, workerdPids, rssWithoutReaders);

  log(`status API under load: ${connections} connections for ${loadSeconds} s while probing goes on`);
  const [load] = await readLoad(
    w.url,
    [{ name: "status", path: "/api/v1/status" }],
    connections,
    loadSeconds,
  );
  if (!load) throw new Error("the status API load gave no figures");

  // Our probes' latency, from the history of up to 200 monitors spread over the fleet.
  const step = Math.max(1, Math.floor(nodes.length / 200));
  const ours: number[] = [];
  for (let i = 0; i < nodes.length; i += step) {
    const id = nodes[i]?.id as string;
    const res = await fetch(`${w.url}/api/v1/monitors/${id}/history?limit=10000`);
    if (!res.ok) continue;
    const body = (await res.json()) as { results: { at: string; latencyMs: number; state: string }[] };
    for (const r of body.results) {
      const at = Date.parse(r.at);
      if (at >= u0.at && at <= u1.at) ours.push(r.latencyMs - SERVED_DELAY_MS);
    }
  }
  clearInterval(cron);
  await w.stop();
  const workerLog = w.output();
  worker = undefined;

  // The peer: same fleet, same targets, same interval, same length of window.
  let peer: BenchReport["peer"];
  if (blackboxBin) {
    log(`measuring blackbox_exporter for ${seconds} s (same targets, every ${intervalSec} s)`);
    blackbox = await startBlackbox(blackboxBin, join(tmpdir(), `chain-uptime-bench-bbx-${process.pid}`));
    const pid = blackbox.child.pid as number;
    const c0 = cpuOf(pid);
    const t0 = Date.now();
    const r = await runScheduler(
      blackbox.url,
      nodes.map((t) => t.url),
      intervalSec,
      t0,
      t0 + seconds * 1000,
    );
    const c1 = cpuOf(pid);
    const elapsed = (Date.now() - t0) / 1000;
    await blackbox.stop();
    blackbox = undefined;
    const over = r.durationsMs.map((x) => x - SERVED_DELAY_MS);
    peer = {
      version: blackboxBin,
      probes: r.scrapes,
      failures: r.failures,
      probesPerSecond: r.scrapes / elapsed,
      // The same rule as ours: started within 1 s of its slot.
      onTimeRatio: r.lateMs.length ? r.lateMs.filter((x) => x <= 1000).length / r.lateMs.length : null,
      startLateMs: { p50: percentile(r.lateMs, 50), p99: percentile(r.lateMs, 99) },
      overheadMs: { p50: percentile(over, 50), p99: percentile(over, 99), samples: over.length },
      cpuSec: c1 - c0,
      cpuSecPer1000Probes: r.scrapes ? ((c1 - c0) / r.scrapes) * 1000 : null,
    };
  }

  const profile = profileFromCounts({
    probes: d.probes,
    doRequests: d.doRequests,
    rowsWritten: d.rowsWritten,
    kvWrites: d.kvWrites,
    elapsedSec: d.seconds,
    doActiveMs: d.doActiveMs.total,
    // All of workerd's CPU, an upper bound for the runner's (it includes the objects' own CPU).
    workerCpuMs: ourCpu * 1000,
  });
  const project = (n: number) => {
    const p = projectMonthlyCost({ monitors: n, regions: 3, intervalSec: 30 }, profile);
    return {
      monitors: n,
      totalUsd: p.totalUsd,
      withinIncluded: p.withinIncluded,
      lines: p.lines.filter((l) => l.usd > 0).map((l) => ({ item: l.item, usd: l.usd })),
    };
  };
  const perMin = (x: number) => x / (d.seconds / 60);
  const perProbe = (x: number) => (d.probes ? x / d.probes : null);
  const shards = d.probesByProber.length;
  const meanPerProber = d.probes / Math.max(1, shards);
  const oursOver = { p50: percentile(ours, 50), p99: percentile(ours, 99), samples: ours.length };
  const cpuPer1000 = d.probes ? (ourCpu / d.probes) * 1000 : null;
  const report: BenchReport = {
    at: new Date().toISOString(),
    machine: { cpus: (await import("node:os")).cpus().length },
    monitors,
    kind,
    intervalSec,
    seconds: d.seconds,
    servedDelayMs: SERVED_DELAY_MS,
    ours: {
      probes: d.probes,
      expectedProbesPerSecond: monitors / intervalSec,
      probesPerSecond: d.probes / d.seconds,
      onTimeRatio: onTimeShare(d),
      shedProbes: d.shedProbes,
      startLateMs: { p50: d.lateness.p50Ms, p99: d.lateness.p99Ms },
      queueWaitMs: { p50: d.queueWait.p50Ms, p99: d.queueWait.p99Ms },
      duplicateSlots: d.duplicateSlots,
      overheadMs: oursOver,
      cpuSec: ourCpu,
      cpuSecPer1000Probes: cpuPer1000,
      rssMiB: rssWithoutReaders,
      proxyRssMiB: rssProxy,
      heapMiB: heapStart && heapEnd ? { start: heapStart.usedMiB, end: heapEnd.usedMiB } : undefined,
      doRequests: { perProbe: perProbe(d.doRequests), perMinute: perMin(d.doRequests) },
      rowsWritten: { perProbe: perProbe(d.rowsWritten), perMinute: perMin(d.rowsWritten) },
      kvWrites: { perProbe: perProbe(d.kvWrites), perMinute: perMin(d.kvWrites) },
      subrequests: { perProbe: perProbe(d.subrequests), perMinute: perMin(d.subrequests) },
      sharding: {
        proberObjects: shards,
        probesPerTick: d.ticks ? d.probes / d.ticks : null,
        hottestProberShare: meanPerProber > 0 ? Math.max(...d.probesByProber) / meanPerProber : null,
        maxInFlightFleetWide: maxInFlight,
        inFlightBound: 6 * MAX_CHILDREN,
        stateObjects: d.batchesByShard.map((s) => ({
          name: s.name,
          batchesPerSecond: s.batches / d.seconds,
          recordsPerSecond: s.records / d.seconds,
        })),
      },
      statusApi: {
        monitors,
        connections,
        requests: load.requests,
        errors: load.errors,
        requestsPerSecond: load.requestsPerSecond,
        p50Ms: load.p50Ms,
        p99Ms: load.p99Ms,
      },
    },
    peer,
    reads,
    ratios: peer
      ? {
          cpuPerProbe:
            cpuPer1000 !== null && peer.cpuSecPer1000Probes ? cpuPer1000 / peer.cpuSecPer1000Probes : null,
          overheadP50: peer.overheadMs.p50 ? oursOver.p50 / peer.overheadMs.p50 : null,
          overheadP99: peer.overheadMs.p99 ? oursOver.p99 / peer.overheadMs.p99 : null,
        }
      : undefined,
    projectedMonthlyBill: {
      pricesAsOf: PRICES_AS_OF,
      profile: { ...DEFAULT_PROFILE, ...profile },
      activity: {
        doActiveMsPerProbe: {
          probers: perProbe(d.doActiveMs.probers),
          state: perProbe(d.doActiveMs.state),
          board: perProbe(d.doActiveMs.board),
        },
        proberTick: d.tickActive,
        rowsPerProbe: {
          probers: perProbe(d.rowsBy.probers),
          state: perProbe(d.rowsBy.state),
          board: perProbe(d.rowsBy.board),
        },
      },
      at1000: project(1000),
      at10000: project(10_000),
    },
  };
  printReport(report);
  const dir = join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${monitors}-${report.at.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  // wrangler's and workerd's output, for what the figures cannot say (errors, restarts).
  writeFileSync(file.replace(/\.json$/, ".worker.log"), workerLog);
  if (cpuProfileJson) {
    writeFileSync(file.replace(/\.json$/, ".cpuprofile"), JSON.stringify(cpuProfileJson));
    console.log(`CPU profile: ${file.replace(/\.json$/, ".cpuprofile")}`);
  }
  console.log(`\nwritten: ${file}`);
} catch (e) {
  console.error(`bench failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);

/**
 * Readers on every public route while probing goes on: per-route figures, and the on-time ratio,
 * workerd's memory and the Durable Object requests per minute beside the window without readers.
 */
async function measureReads(
  base: string,
  monitorId: string,
  u0: Awaited<ReturnType<typeof readUsage>>,
  u1: Awaited<ReturnType<typeof readUsage>>,
  pids: number[],
  rssWithout: { meanMiB: number; peakMiB: number },
): Promise<BenchReport["reads"]> {
  const routes: ReadRoute[] = [
    // The floor: a 404 from the router and the config alone (no KV, nothing rendered).
    { name: "GET /api/v1/monitors/{unknown} (floor)", path: "/api/v1/monitors/no-such-monitor", expect: 404 },
    { name: "GET /", path: "/" },
    { name: "GET /api/v1/status", path: "/api/v1/status" },
    { name: "GET /api/v1/status (If-None-Match)", path: "/api/v1/status", conditional: true },
    { name: "GET /api/v1/monitors/{id}", path: `/api/v1/monitors/${monitorId}` },
    { name: "GET /api/v1/badges/{id}/status.svg", path: `/api/v1/badges/${monitorId}/status.svg` },
    { name: "GET /api/v1/badges/{id}/shields.json", path: `/api/v1/badges/${monitorId}/shields.json` },
    { name: "GET /metrics", path: "/metrics" },
  ];
  log(
    `read load: ${readers} readers on ${routes.length} public routes for ${readSeconds} s while probing goes on`,
  );
  const sampler = rssSampler(() => rssMiB(pids));
  const u2 = await readUsage(base);
  const figures = await readLoad(base, routes, readers, readSeconds);
  const u3 = await readUsage(base);
  const rssWith = sampler.stop();
  const calm = usageDelta(u0, u1);
  const load = usageDelta(u2, u3);
  const reads = figures.reduce((n, f) => n + f.requests, 0);
  const doPerMin = (d: typeof calm) => d.doRequests / (d.seconds / 60);
  return {
    readers,
    seconds: readSeconds,
    routes: figures,
    onTimeRatio: { without: onTimeShare(calm), with: onTimeShare(load) },
    startLateP99Ms: { without: calm.lateness.p99Ms, with: load.lateness.p99Ms },
    probesPerSecond: { without: calm.probes / calm.seconds, with: load.probes / load.seconds },
    rssMiB: { without: rssWithout, with: rssWith },
    doRequestsPerMinute: { without: doPerMin(calm), with: doPerMin(load) },
    // The objects count every request they serve (usage); reads add none when this is ≤ 0.
    extraDoRequestsPerRead: ((doPerMin(load) - doPerMin(calm)) * (load.seconds / 60)) / Math.max(1, reads),
  };
}

/** Samples the requests open at once across the whole fleet (every prober together). */
function inFlightSampler(f: Fleet, k: BenchKind, targets: { id: string }[]): { stop(): number } {
  let max = 0;
  const timer = setInterval(() => {
    let open = 0;
    for (const t of targets) open += inFlightAt(f, k, t.id);
    max = Math.max(max, open);
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}
