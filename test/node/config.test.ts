import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig, parseConfigText } from "../../src/core/config/load.ts";
import { withKindTable } from "../../src/core/kinds/readme-table.ts";
import { jsonSchemas, renderSchema } from "../../src/core/schemas.ts";

const root = join(import.meta.dirname, "..", "..");
const ok = {
  version: 1,
  monitors: [
    {
      id: "n1",
      name: "Node 1",
      chain: "casper",
      check: { kind: "casper-rest", url: "http://n1:8888/status" },
    },
  ],
};

describe("config validation", () => {
  it("fills defaults for a minimal monitor", () => {
    const r = parseConfig(ok);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config.monitors[0]).toMatchObject({
      intervalSec: 60,
      timeoutMs: 10_000,
      regions: ["weur"],
      failureThreshold: 2,
      recoveryThreshold: 2,
      public: false,
      slaTarget: 99.9,
      rules: { minPeers: 1, versionDrift: "info" },
    });
    expect(r.config.scheduler).toEqual({ monitorsPerShard: 500, maxInFlight: 6 });
  });

  it("lists every bad field by path, not just the first", () => {
    const r = parseConfig({
      version: 1,
      monitors: [
        {
          id: "Bad Id",
          name: "",
          chain: "casper",
          check: { kind: "casper-rest", url: "ftp://x" },
          intervalSec: 5,
          regions: ["mars"],
        },
        { id: "n2", name: "x", chain: "nano", check: { kind: "casper-rpc", url: "http://x:7777/rpc" } },
        { id: "n2", name: "dup", chain: "casper", check: { kind: "tcp", host: "h", port: 70000 } },
        {
          id: "n3",
          name: "t",
          chain: "casper",
          check: { kind: "tcp", host: "h", port: 1 },
          intervalSec: 10,
          timeoutMs: 10_000,
        },
      ],
      scheduler: { maxInFlight: 12 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "monitors[0].id",
        "monitors[0].name",
        "monitors[0].check.url",
        "monitors[0].intervalSec",
        "monitors[0].regions[0]",
        "monitors[1].check.kind",
        "monitors[2].check.port",
        "monitors[3].timeoutMs",
        "scheduler.maxInFlight",
      ]),
    );
    // cross-field rules run once the fields themselves are valid
    const dup = parseConfig({ ...ok, monitors: [...ok.monitors, ...ok.monitors] });
    expect(dup.ok ? [] : dup.issues).toEqual([
      { path: "monitors[1].id", message: "duplicate monitor id 'n1' (first used by monitors[0])" },
    ]);
  });

  it("refuses inlined secrets and unknown keys", () => {
    const r = parseConfig({
      ...ok,
      monitors: [
        {
          ...ok.monitors[0],
          check: { ...ok.monitors[0]?.check, headers: { Authorization: { secret: "lower" } } },
          token: "x",
        },
      ],
    });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["monitors[0].check.headers.Authorization.secret", "monitors[0]"]),
    );
  });

  it("refuses credentials inside any URL, naming the field and pointing to secret headers", () => {
    const m = (id: string, chain: string, check: Record<string, unknown>) => ({ id, name: id, chain, check });
    const r = parseConfig({
      version: 1,
      monitors: [
        m("rest", "casper", { kind: "casper-rest", url: "https://user:pass@node.example:8888/status" }),
        m("ws", "nano", { kind: "nano-ws", url: "wss://token@node.example:7078" }),
        m("fine", "casper", { kind: "casper-rest", url: "https://node.example:8888/status?x=1" }),
      ],
    });
    const issues = r.ok ? [] : r.issues;
    expect(issues.map((i) => i.path)).toEqual(["monitors[0].check.url", "monitors[1].check.url"]);
    for (const i of issues) {
      expect(i.message).toMatch(/^credentials in a URL are not allowed/);
      expect(i.message).toContain('{ "secret": "NODE_TOKEN" }');
    }
  });

  it("reports bad JSON as such", () => {
    const r = parseConfigText("{ not json");
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.issues[0]?.message).toMatch(/^not valid JSON/);
  });

  it("the shipped demo config is valid", () => {
    expect(parseConfigText(readFileSync(join(root, "uptime.config.json"), "utf8")).ok).toBe(true);
  });
});

describe("check-config CLI", () => {
  const node = join(root, "node_modules", ".bin", "node");
  it("prints every bad field and exits 1", () => {
    const file = join(tmpdir(), `bad-config-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ version: 1, monitors: [{ id: "x", chain: "casper", check: { kind: "tcp" } }] }),
    );
    let out = "";
    let code = 0;
    try {
      execFileSync(node, [join(root, "src/cli/check-config.ts"), file], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      code = err.status;
      out = err.stderr;
    }
    expect(code).toBe(1);
    expect(out).toContain("monitors[0].name:");
    expect(out).toContain("monitors[0].check.host:");
    expect(out).toContain("monitors[0].check.port:");
  });
  it("accepts the demo config", () => {
    const out = execFileSync(
      node,
      [join(root, "src/cli/check-config.ts"), join(root, "uptime.config.json")],
      {
        encoding: "utf8",
      },
    );
    expect(out).toMatch(/OK — \d+ monitors/);
  });
});

describe("generated files", () => {
  it("JSON Schemas in schemas/ match the zod source (run `npm run gen` after changing a schema)", () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      expect(readFileSync(join(root, "schemas", file), "utf8"), file).toBe(renderSchema(schema));
    }
  });

  it("the README's kind table matches the kind descriptors (run `npm run gen`)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readme).toBe(withKindTable(readme));
    expect(readme).toContain("| `casper-rest` | casper | W, A |");
  });
});

describe("the demo", () => {
  it("uptime.config.json points only at ports of the demo fleet", async () => {
    const { DEMO_LAYOUT, DEMO_FARMER_PORTS } = await import("../../src/sim/demo-layout.ts");
    const ports = new Set([
      ...DEMO_LAYOUT.flatMap((n) => Object.values(n.ports ?? {})),
      ...Object.values(DEMO_FARMER_PORTS),
    ]);
    const loaded = parseConfigText(readFileSync(join(root, "uptime.config.json"), "utf8"));
    if (!loaded.ok) throw new Error("demo config invalid");
    for (const m of loaded.config.monitors) {
      if (m.check.kind === "push") continue;
      if (m.check.kind === "casper-validator" || m.check.kind === "nano-representative") {
        for (const url of m.check.rpc)
          expect(ports.has(Number(new URL(url).port)), `${m.id} → ${url}`).toBe(true);
        continue;
      }
      const port = "url" in m.check ? Number(new URL(m.check.url).port) : m.check.port;
      expect(ports.has(port), `${m.id} → port ${port}`).toBe(true);
    }
  });
});
