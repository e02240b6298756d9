import { readFileSync } from "node:fs";
import { formatIssues, parseConfigText } from "../core/config/load.ts";
import { probers, stateShards } from "../core/topology.ts";
import { parseCli } from "./args.ts";

const USAGE = `usage: npm run check-config -- [FILE]

Validates a monitors config (default uptime.config.json) exactly as the Worker does, and lists
every bad field by path. Exit 0 when valid, 1 when not, 2 when the file cannot be read.`;

/** `npm run check-config [file]`: the same validation the Worker applies, before you deploy. */
const { positionals } = parseCli(USAGE, {}, undefined, { positionals: true });
if (positionals.length > 1) {
  console.error(`expected one config file, got ${positionals.length} (--help shows the usage)`);
  process.exit(2);
}
const file = positionals[0] ?? "uptime.config.json";
let text: string;
try {
  text = readFileSync(file, "utf8");
} catch (e) {
  console.error(`${file}: cannot read: ${(e as Error).message}`);
  process.exit(2);
}
const loaded = parseConfigText(text);
if (!loaded.ok) {
  console.error(
    `${file}: invalid config (${loaded.issues.length} problem${loaded.issues.length === 1 ? "" : "s"}):`,
  );
  console.error(formatIssues(loaded.issues));
  process.exit(1);
}
const { config } = loaded;
console.log(
  `${file}: OK — ${config.monitors.length} monitors, ${probers(config).length} prober objects, ${stateShards(config).length} state objects`,
);
