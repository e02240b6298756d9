import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { AGENT_VERSION } from "../agent/agent.ts";
import { parseCli } from "./args.ts";

const USAGE = `usage: npm run build:agent -- [--outdir DIR]

Bundles the companion agent into one file that runs on Node.js 20 or newer with no node_modules:
DIR/chain-uptime-agent.mjs and DIR/chain-uptime-agent.mjs.sha256 (default DIR: dist).`;

/** The oldest Node the bundle runs on; older ones get one line saying so instead of a stack trace. */
export const AGENT_MIN_NODE = 20;

const root = join(import.meta.dirname, "..", "..");

/** Builds the bundle; returns its path and SHA-256. */
export async function buildAgent(outdir: string): Promise<{ file: string; sha256: string }> {
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, "chain-uptime-agent.mjs");
  await build({
    entryPoints: [join(root, "src", "agent", "cli.ts")],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${AGENT_MIN_NODE}`,
    legalComments: "eof",
    logLevel: "warning",
    // The entry's own `#!/usr/bin/env node` stays the first line; this comes right after it.
    banner: {
      js: [
        `// chain-uptime-agent ${AGENT_VERSION}: one file, no node_modules (npm run build:agent).`,
        `if (Number(process.versions.node.split(".")[0]) < ${AGENT_MIN_NODE}) {`,
        `  console.error("chain-uptime-agent needs Node.js ${AGENT_MIN_NODE} or newer; this is " + process.version);`,
        "  process.exit(1);",
        "}",
      ].join("\n"),
    },
  });
  const sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");
  // The format sha256sum -c reads: "<hex>  <file name>".
  writeFileSync(`${file}.sha256`, `${sha256}  ${basename(file)}\n`);
  return { file, sha256 };
}

if (import.meta.main) {
  const { values } = parseCli(USAGE, { outdir: { type: "string", default: "dist" } });
  const { file, sha256 } = await buildAgent(join(process.cwd(), values.outdir));
  const kb = Math.round(readFileSync(file).length / 1024);
  console.log(`wrote ${file} (${kb} KiB) and its .sha256 (${sha256})`);
}
