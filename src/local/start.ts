import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO_CONTROL_PORT, DEMO_LAYOUT } from "../sim/demo-layout.ts";
import { startFleet } from "../sim/fleet.ts";
import { printStatus } from "./print-status.ts";

/**
 * `npm start`: the Worker on local workerd (wrangler dev) over the simulated fleet. Cron does not
 * fire by itself locally, so this plays the cron: it calls the scheduled handler once a minute,
 * and the watchdog in it arms the probers, whose alarms do the probing from then on.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    "no-fleet": { type: "boolean", default: false },
    for: { type: "string" },
  },
});
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const root = join(import.meta.dirname, "..", "..");

const fleet = values["no-fleet"]
  ? undefined
  : await startFleet(DEMO_LAYOUT, { controlPort: DEMO_CONTROL_PORT });
const wrangler: ChildProcess = spawn(
  join(root, "node_modules", ".bin", "wrangler"),
  [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--test-scheduled",
    "--show-interactive-dev-session=false",
  ],
  {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  },
);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  clearInterval(cron);
  wrangler.kill("SIGTERM");
  await fleet?.stop();
  process.exit(code);
}
wrangler.on("exit", (code) => {
  if (!stopping) {
    console.error(`wrangler dev exited (${code})`);
    void stop(1);
  }
});
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

async function waitForWorker(timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/api/v1/status`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the Worker did not answer on ${base} within ${timeoutMs} ms`);
}

async function runCron() {
  try {
    await fetch(`${base}/__scheduled?cron=*+*+*+*+*`);
  } catch (e) {
    console.error(`cron call failed: ${(e as Error).message}`);
  }
}

let cron: NodeJS.Timeout | undefined;
try {
  await waitForWorker(90_000);
} catch (e) {
  console.error((e as Error).message);
  await stop(1);
}
await runCron();
cron = setInterval(runCron, 60_000);
console.log(
  [
    "",
    "chain-uptime is running on local workerd",
    `  status API     ${base}/api/v1/status`,
    `  monitor        ${base}/api/v1/monitors/alpha-rest`,
    `  incidents      ${base}/api/v1/incidents`,
    fleet ? `  fleet control  ${fleet.controlUrl}/nodes  (PUT /nodes/<id>/fault {"fault":"stalled"})` : "",
    "",
  ].join("\n"),
);

if (values.for) {
  await new Promise((r) => setTimeout(r, Number(values.for) * 1000));
  await printStatus(base);
  await stop(0);
}
