import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCli } from "../../src/cli/args.ts";
import { ON_TIME_TOLERANCE_MS } from "../../src/core/start-window.ts";
import { type LocalWorker, startLocalWorker } from "../../src/local/local-worker.ts";
import { startFleet } from "../../src/sim/fleet.ts";
import { BLACKBOX_MISSING, findBlackbox, runScheduler, startBlackbox } from "./blackbox.ts";
import { benchConfig, benchLayout, benchTargets } from "./fleet.ts";
import { workerdRoles } from "./proc-cpu.ts";
import { rssMiB, rssSampler } from "./readers.ts";
import { percentile, sleep } from "./stats.ts";
import { onTimeShare, readUsage, usageDelta } from "./usage-client.ts";

/**
 * `npm run bench:ceiling`: the highest sustained probe rate at which probes start on time, ours
 * and blackbox_exporter's, on this machine. At each rate of the ladder (probes per second; the
 * fleet is rate × interval monitors) each side probes the same simulated fleet for a window; the
 * rate holds when at least 99.9 % of the probes in the window started within 1 s of their slot.
 * The ceiling is bracketed: the highest rate that held and the lowest that did not.
 */
const USAGE = `usage: npm run bench:ceiling -- [--rates 250,500,750,1000] [--interval 10] [--seconds 60] [--no-peer]

  --rates R,R,…   probe rates to try, probes per second (default 250,500,750,1000)
  --interval S    probe interval (default 10; monitors = rate × interval)
  --seconds S     measuring window per side and rate (default 60)
  --no-peer       ours only
  --help          this text`;
const { values } = parseCli(USAGE, {
  rates: { type: "string", default: "250,500,750,1000" },
  interval: { type: "string", default: "10" },
  seconds: { type: "string", default: "60" },
  "no-peer": { type: "boolean", default: false },
});
const rates = values.rates.split(",").map(Number);
const intervalSec = Number(values.interval);
const seconds = Number(values.seconds);
if (rates.some((r) => !(Number.isInteger(r) && r > 0 && r * intervalSec <= 20_000))) {
  console.error(
    `--rates: expected whole probe rates whose monitors (rate × interval) are at most 20,000, got ${values.rates}`,
  );
  process.exit(2);
}
if (!(intervalSec >= 10 && seconds > 0)) {
  console.error(`--interval: at least 10; --seconds: positive; got ${values.interval}, ${values.seconds}`);
  process.exit(2);
}
/** The share of probes that must start within the tolerance for a rate to hold. */
const HOLDS_AT = 0.999;
const log = (s: string) => console.log(`[ceiling ${new Date().toISOString().slice(11, 19)}] ${s}`);
const blackboxBin = values["no-peer"] ? undefined : findBlackbox();
if (!values["no-peer"] && !blackboxBin) console.log(`\n${BLACKBOX_MISSING}\n`);

interface SideFigures {
  probes: number;
  probesPerSecond: number;
  onTimeShare: number | null;
  startLateP50Ms: number | null;
  startLateP99Ms: number | null;
  queueWaitP99Ms?: number | null;
  duplicateSlots?: number;
  /** Probes skipped past the ceiling, and what the checker said of itself at the window's end. */
  shedProbes?: number;
  monitoring?: string;
  rssMeanMiB?: number;
  rssPeakMiB?: number;
  holds: boolean;
}
interface Rung {
  rate: number;
  monitors: number;
  ours: SideFigures;
  peer?: SideFigures;
}

function ourFigures(
  d: ReturnType<typeof usageDelta>,
  mem: { meanMiB: number; peakMiB: number },
  expected: number,
  monitoring: string | undefined,
): SideFigures {
  const share = onTimeShare(d);
  return {
    shedProbes: d.shedProbes,
    monitoring,
    probes: d.probes,
    probesPerSecond: d.probes / d.seconds,
    onTimeShare: share,
    startLateP50Ms: d.lateness.p50Ms,
    startLateP99Ms: d.lateness.p99Ms,
    queueWaitP99Ms: d.queueWait.p99Ms,
    duplicateSlots: d.duplicateSlots,
    rssMeanMiB: mem.meanMiB,
    rssPeakMiB: mem.peakMiB,
    holds: holds(share, d.probes, expected),
  };
}

/** A rung where our Worker stopped answering: no figures, and it does not hold. */
const COLLAPSED: SideFigures = {
  probes: 0,
  probesPerSecond: 0,
  onTimeShare: null,
  startLateP50Ms: null,
  startLateP99Ms: null,
  holds: false,
};

const holds = (share: number | null, probes: number, expected: number) =>
  share !== null && share >= HOLDS_AT && probes >= 0.95 * expected;

async function rung(rate: number): Promise<Rung> {
  const monitors = rate * intervalSec;
  const expected = rate * seconds;
  log(`${rate} probes/s: ${monitors} monitors every ${intervalSec} s`);
  const fleet = await startFleet(benchLayout(monitors, "http"));
  try {
    const targets = benchTargets(fleet, "http");
    const worker = await startLocalWorker({
      config: benchConfig(targets, "http", intervalSec),
      dir: join(tmpdir(), `chain-uptime-ceiling-${process.pid}-${rate}`),
    });
    let ours: SideFigures;
    try {
      // An overloaded Worker may not answer even its cron: that rung collapsed, the ladder goes on.
      await Promise.race([
        worker.cron(),
        sleep(60_000).then(() => Promise.reject(new Error("no answer in 60 s"))),
      ]).catch((e) => log(`${rate} probes/s: the cron call failed (${(e as Error).message})`));
      await sleep(Math.max(15_000, intervalSec * 2000)); // every prober has ticked, start-up is over
      const pids = workerdRoles(worker.child.pid as number, Number(new URL(worker.url).port)).worker;
      const rss = rssSampler(() => rssMiB(pids));
      const u0 = await readUsage(worker.url).catch(() => undefined);
      await sleep(seconds * 1000);
      const u1 = await readUsage(worker.url).catch(() => undefined);
      const mem = rss.stop();
      const monitoring = u1 ? await checkerHealth(worker) : undefined;
      if (!u0 || !u1) {
        // The Worker no longer answers its own usage API: this rate is past any ceiling.
        log(`${rate} probes/s: the Worker did not answer GET /api/v1/usage within 60 s (overloaded)`);
        ours = { ...COLLAPSED, rssMeanMiB: mem.meanMiB, rssPeakMiB: mem.peakMiB };
      } else {
        ours = ourFigures(usageDelta(u0, u1), mem, expected, monitoring);
      }
    } finally {
      await worker.stop();
    }

    let peer: SideFigures | undefined;
    if (blackboxBin) {
      const bbx = await startBlackbox(
        blackboxBin,
        join(tmpdir(), `chain-uptime-ceiling-bbx-${process.pid}-${rate}`),
      );
      try {
        const t0 = Date.now() + 2_000;
        const r = await runScheduler(
          bbx.url,
          targets.map((t) => t.url),
          intervalSec,
          t0,
          t0 + seconds * 1000,
        );
        const share = r.lateMs.length
          ? r.lateMs.filter((x) => x <= ON_TIME_TOLERANCE_MS).length / r.lateMs.length
          : null;
        peer = {
          probes: r.scrapes,
          probesPerSecond: r.scrapes / seconds,
          onTimeShare: share,
          startLateP50Ms: percentile(r.lateMs, 50),
          startLateP99Ms: percentile(r.lateMs, 99),
          holds: holds(share, r.scrapes, expected),
        };
      } finally {
        await bbx.stop();
      }
    }
    return { rate, monitors, ours, ...(peer ? { peer } : {}) };
  } finally {
    await fleet.stop();
  }
}

/**
 * What the checker says of itself once the cron watchdog has judged the window (locally cron fires
 * only when called): "ok", or "degraded" and its first problem. Undefined when it does not answer.
 */
async function checkerHealth(worker: LocalWorker): Promise<string | undefined> {
  try {
    await Promise.race([worker.cron(), sleep(60_000).then(() => Promise.reject(new Error("timeout")))]);
    await sleep(2_000); // the board publishes a change of health within its flush delay
    const res = await fetch(`${worker.url}/api/v1/status`, { signal: AbortSignal.timeout(30_000) });
    const body = (await res.json()) as { monitoring?: { state: string; problems: string[] } };
    const m = body.monitoring;
    return m ? [m.state, ...m.problems.slice(0, 1)].join(": ") : undefined;
  } catch {
    return undefined;
  }
}

/** "between 500 and 750 probes/s", "≥ 1000 (the highest tried)", "< 250 (the lowest tried)". */
function bracket(ladder: Rung[], side: (r: Rung) => SideFigures | undefined): string {
  const tried = ladder.filter((r) => side(r) !== undefined);
  if (tried.length === 0) return "—";
  const held = tried.filter((r) => side(r)?.holds).map((r) => r.rate);
  const failed = tried.filter((r) => !side(r)?.holds).map((r) => r.rate);
  const best = held.length ? Math.max(...held) : undefined;
  const above = failed.filter((r) => best === undefined || r > best);
  if (best === undefined) return `< ${Math.min(...failed)} probes/s (the lowest tried)`;
  if (above.length === 0) return `≥ ${best} probes/s (the highest tried)`;
  return `${best}–${Math.min(...above)} probes/s`;
}

const fmt = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x) ? "—" : x.toFixed(digits);
const share = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : `${(x * 100).toFixed(2)} %`;

const ladder: Rung[] = [];
for (const rate of [...rates].sort((a, b) => a - b)) {
  const r = await rung(rate);
  ladder.push(r);
  log(
    `${rate} probes/s: ours ${share(r.ours.onTimeShare)} on time (p99 ${fmt(r.ours.startLateP99Ms)} ms)` +
      (r.peer ? `, blackbox ${share(r.peer.onTimeShare)} (p99 ${fmt(r.peer.startLateP99Ms)} ms)` : ""),
  );
}

console.log(
  `\nstarted within ${ON_TIME_TOLERANCE_MS} ms of the slot, ${seconds} s windows, interval ${intervalSec} s`,
);
const rows = [
  [
    "probes/s",
    "monitors",
    "ours: share on time",
    "p50 / p99 late ms",
    "queued p99 ms",
    "dup",
    "skipped",
    "RSS mean/peak MiB",
    "blackbox: share",
    "p50 / p99 late ms",
  ],
  ...ladder.map((r) => [
    String(r.rate),
    String(r.monitors),
    `${share(r.ours.onTimeShare)}${r.ours.holds ? "" : " ✗"}`,
    `${fmt(r.ours.startLateP50Ms)} / ${fmt(r.ours.startLateP99Ms)}`,
    fmt(r.ours.queueWaitP99Ms),
    String(r.ours.duplicateSlots ?? "—"),
    String(r.ours.shedProbes ?? "—"),
    `${fmt(r.ours.rssMeanMiB)} / ${fmt(r.ours.rssPeakMiB)}`,
    r.peer ? `${share(r.peer.onTimeShare)}${r.peer.holds ? "" : " ✗"}` : "—",
    r.peer ? `${fmt(r.peer.startLateP50Ms)} / ${fmt(r.peer.startLateP99Ms)}` : "—",
  ]),
];
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  "));
console.log("\nthe checker's own health at each rung's end (GET /api/v1/status → monitoring):");
for (const r of ladder) console.log(`  ${r.rate} probes/s: ${r.ours.monitoring ?? "no answer"}`);
console.log(`\nceiling (≥ ${HOLDS_AT * 100} % on time and ≥ 95 % of the expected probes):`);
console.log(`  chain-uptime       ${bracket(ladder, (r) => r.ours)}`);
console.log(`  blackbox_exporter  ${blackboxBin ? bracket(ladder, (r) => r.peer) : "—"}`);
const dir = join(import.meta.dirname, "..", "..", "bench-results");
mkdirSync(dir, { recursive: true });
const file = join(dir, `ceiling-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify({ intervalSec, seconds, holdsAt: HOLDS_AT, ladder }, null, 2)}\n`);
console.log(`\nwritten: ${file}`);
process.exit(0);
