import { readFileSync } from "node:fs";
import { parseCli } from "../cli/args.ts";
import { DEMO_LAYOUT } from "./demo-layout.ts";
import { startFleet } from "./fleet.ts";
import type { FleetSpec } from "./types.ts";

/**
 * Starts a simulated fleet until SIGINT/SIGTERM:
 *   node src/sim/cli.ts [--layout FILE.json] [--control-port N] [--host 127.0.0.1]
 * Prints one JSON line `{"controlUrl", "nodes", "nano", "chia", "json"}` (FleetInfo) on stdout
 * once every listener is up, so a launcher can read the ports from it.
 */
async function main(): Promise<void> {
  const { values } = parseCli(
    "usage: npm run sim -- [--layout FILE.json] [--control-port N] [--host 127.0.0.1]\n\nRuns a simulated fleet until Ctrl-C; prints its ports as one JSON line.",
    {
      layout: { type: "string" },
      "control-port": { type: "string" },
      host: { type: "string" },
    },
  );
  const layout = values.layout === undefined ? DEMO_LAYOUT : readLayout(values.layout);
  const controlPort = Number(values["control-port"] ?? 0);
  if (!Number.isInteger(controlPort) || controlPort < 0 || controlPort > 65_535) {
    throw new Error(`--control-port: expected a port number, got ${values["control-port"]}`);
  }

  const fleet = await startFleet(layout, { controlPort, host: values.host ?? "127.0.0.1" });
  process.stdout.write(`${JSON.stringify(fleet.info())}\n`);

  const shutdown = () => {
    fleet.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

function readLayout(file: string): FleetSpec[] {
  const layout: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(layout)) throw new Error(`${file}: expected a JSON array of node specs`);
  return layout as FleetSpec[];
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
