import { join } from "node:path";
import { parseCli } from "../cli/args.ts";
import { DEMO_CONTROL_PORT, DEMO_LAYOUT } from "../sim/demo-layout.ts";
import { startFleet } from "../sim/fleet.ts";
import { DEMO_AGENT_SECRETS, startDemoAgent } from "./demo-agent.ts";
import { DEMO_PUSH_TOKENS, startDemoJobs } from "./demo-jobs.ts";
import { type LocalWorker, startLocalWorker } from "./local-worker.ts";
import { printStatus, printUsage } from "./print-status.ts";
import { scaleConfig, scaleLayout } from "./scale.ts";

/**
 * `npm start`: the Worker on local workerd (wrangler dev) over the simulated fleet. Cron does not
 * fire by itself locally, so this plays the cron: it calls the scheduled handler once a minute,
 * and the watchdog in it arms the probers, whose alarms do the probing from then on.
 *
 *   npm start                          demo fleet + uptime.config.json, until Ctrl-C
 *   npm start -- --for 60              the same, then print the status and usage and stop
 *   npm start -- --scale 500 --for 120 500 simulated nodes, one monitor each (throughput, rows/probe)
 *   npm start -- --no-fleet            uptime.config.json only, for real nodes
 */
const USAGE = `usage: npm start -- [--for SECONDS] [--scale N [--interval SECONDS]] [--no-fleet] [--port PORT]

Runs the Worker on local workerd (wrangler dev) over a simulated fleet and plays the cron.
  --for SECONDS     run this long, print the status and the usage counters, stop
  --scale N         N simulated nodes, one monitor each (throughput, rows per probe)
  --interval S      their interval with --scale (default 10)
  --no-fleet        uptime.config.json against real nodes only
  --port PORT       where the Worker listens (default 8787)
  --help            this text`;
const { values } = parseCli(USAGE, {
  port: { type: "string", default: "8787" },
  "no-fleet": { type: "boolean", default: false },
  for: { type: "string" },
  scale: { type: "string" },
  interval: { type: "string", default: "10" },
});
const root = join(import.meta.dirname, "..", "..");
const LOCAL_SECRETS = {
  ADMIN_TOKEN: "local-admin-token",
  REPORT_SIGNING_KEY: "local-report-signing-key",
  ...DEMO_PUSH_TOKENS,
  ...DEMO_AGENT_SECRETS,
};
const scale = values.scale === undefined ? undefined : Number(values.scale);
if (scale !== undefined && !(Number.isInteger(scale) && scale > 0 && scale <= 20_000)) {
  console.error(`--scale: expected a whole number of nodes from 1 to 20000, got ${values.scale}`);
  process.exit(2);
}

const fleet = values["no-fleet"]
  ? undefined
  : await startFleet(scale ? scaleLayout(scale) : DEMO_LAYOUT, {
      controlPort: scale ? 0 : DEMO_CONTROL_PORT,
    });
let worker: LocalWorker | undefined;
let cron: NodeJS.Timeout | undefined;
let jobs: { stop(): void } | undefined;
let agent: { stop(): Promise<void> } | undefined;
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  clearInterval(cron);
  jobs?.stop();
  await agent?.stop();
  await worker?.stop();
  await fleet?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  worker = await startLocalWorker({
    port: Number(values.port),
    output: "inherit",
    // Local-only stand-ins for the secrets a deployment sets with `wrangler secret put`.
    vars: LOCAL_SECRETS,
    // A scale run bundles its generated config (and keeps its own state) instead of uptime.config.json.
    ...(scale && fleet
      ? {
          config: scaleConfig({ controlUrl: fleet.controlUrl, nodes: fleet.nodes }, Number(values.interval)),
          dir: join(root, ".wrangler", "scale"),
        }
      : {}),
  });
} catch (e) {
  console.error((e as Error).message);
  await stop(1);
}
const local = worker as LocalWorker;
local.child.on("exit", (code) => {
  if (!stopping) {
    console.error(`wrangler dev exited (${code})`);
    void stop(1);
  }
});
const playCron = () => local.cron().catch((e) => console.error(`cron call failed: ${(e as Error).message}`));
await playCron();
cron = setInterval(playCron, 60_000);
// The demo's push monitors get their calls from two simulated jobs (not against real nodes, not at scale).
if (fleet && !scale) jobs = startDemoJobs(local.url);
// The demo's Chia farmers are probed by the companion agent (mutual TLS), a process of its own.
if (fleet && !scale) {
  try {
    agent = await startDemoAgent(root, local.url);
  } catch (e) {
    console.error(`demo agent did not start: ${(e as Error).message}`);
  }
}

const base = local.url;
console.log(
  [
    "",
    "chain-uptime is running on local workerd",
    `  status API     ${base}/api/v1/status`,
    `  incidents      ${base}/api/v1/incidents`,
    `  usage          ${base}/api/v1/usage`,
    `  status page    ${base}/   (API docs: ${base}/docs, Atom feed: ${base}/feed.atom)`,
    `  push heartbeat curl -X POST ${base}/api/v1/push/${DEMO_PUSH_TOKENS.KEY_BACKUP_PUSH_TOKEN}`,
    `  SLA report     ${base}/api/v1/reports/sla?operator=Acme%20Staking&month=${new Date().toISOString().slice(0, 7)}&format=html`,
    `  admin token    ${LOCAL_SECRETS.ADMIN_TOKEN}   (local runs only)`,
    fleet ? `  fleet control  ${fleet.controlUrl}/fleet  (PUT /nodes/<id>/fault {"fault":"stalled"})` : "",
    "",
  ].join("\n"),
);

if (values.for) {
  await new Promise((r) => setTimeout(r, Number(values.for) * 1000));
  if (!scale) await printStatus(base);
  await printUsage(base);
  await stop(0);
}
