#!/usr/bin/env node
import { parseCli } from "../cli/args.ts";
import { AGENT_VERSION, Agent } from "./agent.ts";
import { ENV, loadSettings } from "./config.ts";
import { createLogger } from "./log.ts";

const USAGE = `chain-uptime-agent ${AGENT_VERSION} — probes what a Worker cannot reach and reports to it

usage: chain-uptime-agent [--config FILE] [--once] [--check-config]

  --config FILE     agent config (JSON); default: $CHAIN_UPTIME_AGENT_CONFIG
  --once            probe every monitor once, deliver, exit
  --check-config    validate the config and list the fallback monitors, then exit
  --version, --help

environment: ${Object.values(ENV).join(", ")}
docs: docs/agent.md`;

const { values } = parseCli(USAGE, {
  config: { type: "string" },
  once: { type: "boolean", default: false },
  "check-config": { type: "boolean", default: false },
  version: { type: "boolean", default: false },
});
if (values.version) {
  console.log(AGENT_VERSION);
  process.exit(0);
}

const file = values.config ?? process.env.CHAIN_UPTIME_AGENT_CONFIG;
const loaded = loadSettings(file, process.env);
if (!loaded.ok) {
  console.error(`${file ?? "(no config file)"}: invalid agent config (${loaded.issues.length} problems):`);
  for (const i of loaded.issues) console.error(`  ${i.path}: ${i.message}`);
  process.exit(2);
}
const settings = loaded.settings;

if (values["check-config"]) {
  console.log(
    `${file ?? "(env)"}: OK — agent ${settings.agentId}, ${settings.workerUrl ? `reports to ${new URL(settings.workerUrl).origin}` : "no Worker (spool only)"}, ${settings.monitors.length} fallback monitors`,
  );
  for (const m of settings.monitors) console.log(`  ${m.id}  ${m.check.kind}  every ${m.intervalSec} s`);
  process.exit(0);
}

const log = createLogger(settings.logLevel);
const agent = new Agent(settings, log);

process.on("unhandledRejection", (err) => log.error("unhandled_rejection", { error: String(err) }));

if (values.once) {
  await agent.runOnce();
  process.exit(0);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info("signal", { signal });
  // A second signal, or a stop that hangs, ends the process anyway: the spool keeps everything.
  setTimeout(() => process.exit(1), 30_000).unref();
  try {
    await agent.stop();
    process.exit(0);
  } catch (err) {
    log.error("stop_failed", { error: (err as Error).message });
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

try {
  await agent.start();
} catch (err) {
  log.error("start_failed", { error: (err as Error).message });
  process.exit(1);
}
