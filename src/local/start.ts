import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO_CONTROL_PORT, DEMO_LAYOUT } from "../sim/demo-layout.ts";
import { startFleet } from "../sim/fleet.ts";
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
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    "no-fleet": { type: "boolean", default: false },
    for: { type: "string" },
    scale: { type: "string" },
    interval: { type: "string", default: "10" },
  },
});
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const root = join(import.meta.dirname, "..", "..");

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

const wranglerArgs = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--test-scheduled"];
wranglerArgs.push("--show-interactive-dev-session=false");
if (scale && fleet) {
  // The generated config is bundled in place of uptime.config.json (it is too large for a
  // variable, and wrangler.toml's [alias] wins over --alias), through a copy of wrangler.toml.
  const dir = join(root, ".wrangler");
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, "scale.config.json");
  const config = scaleConfig({ controlUrl: fleet.controlUrl, nodes: fleet.nodes }, Number(values.interval));
  writeFileSync(configFile, JSON.stringify(config));
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8")
    .replace(/^main = "(.*)"$/m, `main = "${join(root, "$1")}"`)
    .replace(/^"chain-uptime-config" = .*$/m, `"chain-uptime-config" = "${configFile}"`);
  const tomlFile = join(dir, "scale.wrangler.toml");
  writeFileSync(tomlFile, toml);
  wranglerArgs.push("--config", tomlFile, "--persist-to", join(dir, "scale-state"));
}
const wrangler: ChildProcess = spawn(join(root, "node_modules", ".bin", "wrangler"), wranglerArgs, {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});

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
  if (!scale) await printStatus(base);
  await printUsage(base);
  await stop(0);
}
