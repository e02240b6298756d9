import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Every command-line entry point: `--help` prints its usage and exits 0; an unknown flag gets one
// line naming it and exit 2, before anything starts (no fleet, no wrangler).
const root = join(import.meta.dirname, "..", "..");
const CLIS = [
  ["npm start", "src/local/start.ts"],
  ["npm run bench", "test/bench/run.ts"],
  ["npm run bench:alerts", "test/bench/alert-latency.ts"],
  ["npm run check-config", "src/cli/check-config.ts"],
  ["npm run verify-report", "src/cli/verify-report.ts"],
  ["npm run sim", "src/sim/cli.ts"],
  ["chain-uptime-agent", "src/agent/cli.ts"],
] as const;

const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, [join(root, script), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });

describe("command-line manners", () => {
  it.each(CLIS)("%s --help: usage on stdout, exit 0", (name, script) => {
    const r = run(script, ["--help"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/usage: /);
    expect(r.stdout).toContain(name.replace(/^npm (start|run )/, ""));
  });

  it.each(CLIS)("%s --no-such-flag: one line naming it, exit 2", (_name, script) => {
    const r = run(script, ["--no-such-flag"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual(["Unknown option '--no-such-flag' (--help shows the usage)"]);
    expect(r.stdout).toBe("");
  });
});
