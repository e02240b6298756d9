import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AgentFileConfigSchema } from "../../src/core/agent/file-config.ts";

// What docs/agent.md tells an operator to install and write works as written.
const root = join(import.meta.dirname, "..", "..");
const doc = readFileSync(join(root, "docs", "agent.md"), "utf8");

/** The first ```json block after `heading`. */
function jsonAfter(heading: string): string {
  const from = doc.indexOf(heading);
  expect(from, heading).toBeGreaterThanOrEqual(0);
  const block = /```json\n([\s\S]*?)```/.exec(doc.slice(from));
  if (!block?.[1]) throw new Error(`no json block after ${heading}`);
  return block[1];
}

describe("the agent as docs/agent.md describes it", () => {
  it("the example agent config passes --check-config as written (key from the environment)", () => {
    const dir = mkdtempSync(join(tmpdir(), "agent-doc-"));
    const file = join(dir, "agent.json");
    writeFileSync(file, jsonAfter("## Agent config"));
    expect(AgentFileConfigSchema.safeParse(JSON.parse(readFileSync(file, "utf8"))).success).toBe(true);
    const r = spawnSync(
      process.execPath,
      [join(root, "src", "agent", "cli.ts"), "--config", file, "--check-config"],
      {
        encoding: "utf8",
        env: { ...process.env, CHAIN_UPTIME_AGENT_KEY: "doc-example-key" },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /OK — agent ops-1, reports to https:\/\/chain-uptime\.example\.workers\.dev, 1 fallback monitors/,
    );
  });

  it("the shipped systemd unit runs the bundle and passes systemd-analyze verify", () => {
    const unit = join(root, "deploy", "agent", "chain-uptime-agent.service");
    const text = readFileSync(unit, "utf8");
    expect(text).toMatch(
      /^ExecStart=\/usr\/bin\/node \/usr\/local\/lib\/chain-uptime-agent\/chain-uptime-agent\.mjs /m,
    );
    for (const line of [
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "CapabilityBoundingSet=",
      "PrivateTmp=yes",
    ]) {
      expect(text).toContain(line);
    }
    if (!existsSync("/usr/bin/systemd-analyze")) return; // verified wherever systemd is installed
    const out = execFileSync("systemd-analyze", ["verify", unit], { encoding: "utf8", stdio: "pipe" });
    expect(out).toBe("");
  });
});
