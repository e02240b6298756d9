import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCli } from "../../src/cli/args.ts";
import type { ConfigInput } from "../../src/core/config/schema.ts";
import { startLocalWorker } from "../../src/local/local-worker.ts";
import { startFleet } from "../../src/sim/fleet.ts";
import { startReceivers } from "../../src/sim/receivers.ts";

/**
 * Time from fault injection to alert receipt on the local stack (issue: alerts). A Casper node
 * watched from two regions (quorum 2) goes down at a random moment of its interval; we measure
 * until the webhook consumer holds the signed `down` alert, then heal it and measure the
 * `recovered` alert the same way. Target: interval + 5 s, cross-vantage confirmation included.
 *
 *   npm run bench:alerts -- [--rounds 3] [--interval 10]
 */
const USAGE = `usage: npm run bench:alerts -- [--rounds N] [--interval SECONDS]

Time from a fault to the alert's receipt on the local stack, and back to recovered.
  --rounds N        faults to inject (default 3)
  --interval S      the monitor's interval (default 10)
  --help            this text`;
const { values } = parseCli(USAGE, {
  rounds: { type: "string", default: "3" },
  interval: { type: "string", default: "10" },
});
const rounds = Number(values.rounds);
const intervalSec = Number(values.interval);
const SECRET = "whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQtMjRieXRlcw==";

const fleet = await startFleet([
  { id: "bench-a", version: "2.0", chainName: "casper-bench", blockTimeMs: 1000 },
]);
const receivers = await startReceivers({ webhookSecret: SECRET });
const node = fleet.nodes[0];
if (!node) throw new Error("no node");
const config: ConfigInput = {
  version: 1,
  monitors: [
    {
      id: "bench-rest",
      name: "Bench node",
      chain: "casper",
      check: { kind: "casper-rest", url: `http://${node.host}:${node.ports.rest}/status` },
      intervalSec,
      timeoutMs: 2000,
      regions: ["weur", "enam"],
      tags: { network: "casper-bench" },
      rules: { blockTimeSec: 1, expectChainName: "casper-bench" },
    },
  ],
  alerts: {
    channels: [
      { type: "webhook", id: "hook", url: { secret: "HOOK_URL" }, signingSecret: { secret: "HOOK_SECRET" } },
    ],
    routes: [{ channels: ["hook"], minSeverity: "info" }],
    // Each round is two transitions; keep the bench's own rounds from reading as flapping.
    flapping: { transitions: 100, windowMin: 1 },
  },
};
const worker = await startLocalWorker({
  config,
  dir: join(tmpdir(), `chain-uptime-bench-alerts-${process.pid}`),
  vars: { HOOK_URL: `${receivers.urls.webhook}/bench`, HOOK_SECRET: SECRET },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const control = (fault: string) =>
  fetch(`${fleet.controlUrl}/nodes/bench-a/fault`, { method: "PUT", body: JSON.stringify({ fault }) });

/** Milliseconds until a new alert whose id ends with `suffix` has arrived, counted from `t0`. */
async function alertAfter(t0: number, suffix: string, timeoutMs: number): Promise<number> {
  const seen = new Set(receivers.received("/webhook/bench").map((r) => r.seq));
  const until = t0 + timeoutMs;
  while (Date.now() < until) {
    for (const r of receivers.received("/webhook/bench")) {
      const id = (r.body as { id?: string }).id ?? "";
      if (!seen.has(r.seq) && r.status === 200 && id.endsWith(suffix)) return r.receivedAt - t0;
    }
    await sleep(50);
  }
  return Number.NaN;
}

const results: { down: number; recovered: number }[] = [];
try {
  await worker.cron(); // arms the probers; from here on their alarms probe
  await sleep(intervalSec * 1000 + 3000); // one full interval healthy
  for (let i = 0; i < rounds; i++) {
    await sleep(Math.random() * intervalSec * 1000); // a random moment in the interval
    let t0 = Date.now();
    await control("refusing");
    const down = await alertAfter(t0, ":down", intervalSec * 3000 + 10_000);
    await sleep(2000);
    t0 = Date.now();
    await control("healthy");
    const recovered = await alertAfter(t0, ":recovered", intervalSec * 3000 + 10_000);
    results.push({ down, recovered });
    console.log(
      `round ${i + 1}: down alert after ${(down / 1000).toFixed(1)} s, recovered after ${(recovered / 1000).toFixed(1)} s`,
    );
    await sleep(2000);
  }
} finally {
  await worker.stop();
  await receivers.stop();
  await fleet.stop();
}

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    min: s[0] ?? Number.NaN,
    median: s[Math.floor(s.length / 2)] ?? Number.NaN,
    max: s.at(-1) ?? Number.NaN,
  };
};
const target = (intervalSec + 5) * 1000;
const downs = stat(results.map((r) => r.down));
const ups = stat(results.map((r) => r.recovered));
const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `\nfault → alert on the local stack (${rounds} rounds, interval ${intervalSec} s, 2 regions, quorum 2)`,
);
console.log(`  down       min ${fmt(downs.min)}  median ${fmt(downs.median)}  max ${fmt(downs.max)}`);
console.log(`  recovered  min ${fmt(ups.min)}  median ${fmt(ups.median)}  max ${fmt(ups.max)}`);
console.log(
  `  target     ${fmt(target)} (interval + 5 s): ${downs.max <= target ? "met" : "missed"} by every down alert`,
);
process.exit(downs.max <= target ? 0 : 1);
