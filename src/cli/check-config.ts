import { readFileSync } from "node:fs";
import { formatIssues, parseConfigText } from "../core/config/load.ts";
import { probers, stateShards } from "../core/topology.ts";

/** `npm run check-config [file]`: the same validation the Worker applies, before you deploy. */
const file = process.argv[2] ?? "uptime.config.json";
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
