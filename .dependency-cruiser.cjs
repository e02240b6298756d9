/**
 * Import layering (checked in CI by `npm run check:layers`):
 *   src/core    pure logic: imports only src/core and zod, no platform module (node:, cloudflare:)
 *   src/probes  the probes and their runner: no Worker or agent code, no platform module
 *   src/agent   the Node agent: no Worker code
 *   src/worker  the Worker: no agent code except the probe table it shares (none today)
 * and no import cycles anywhere.
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment:
        "A cycle makes load order matter and hides which module owns what. Type-only imports are exempt: Env names the Durable Object classes whose modules use Env.",
      from: { path: "^src/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "core-stays-in-core",
      severity: "error",
      comment: "src/core is shared by the Worker and the agent: it imports nothing outside src/core.",
      from: { path: "^src/core/" },
      to: { path: "^src/", pathNot: "^src/core/" },
    },
    {
      name: "core-and-probes-are-platform-free",
      severity: "error",
      comment: "Platform modules reach probes through the Platform interface (src/probes/contract.ts).",
      from: { path: "^src/(core|probes)/" },
      to: { path: "^(node:|cloudflare:)|^(fs|net|tls|dgram|crypto|path|os|http|https|child_process)$" },
    },
    {
      name: "core-and-probes-only-zod",
      severity: "error",
      comment: "The only package the shared layers may use is zod.",
      from: { path: "^src/(core|probes)/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer"], pathNot: "node_modules/zod/" },
    },
    {
      name: "probes-not-into-runtimes",
      severity: "error",
      from: { path: "^src/probes/" },
      to: { path: "^src/(worker|agent|local|sim|cli)/" },
    },
    {
      name: "agent-not-into-worker",
      severity: "error",
      comment: "The agent ships alone; Worker code must not be bundled into it.",
      from: { path: "^src/agent/" },
      to: { path: "^src/(worker|local|sim)/" },
    },
    {
      name: "worker-not-into-agent",
      severity: "error",
      from: { path: "^src/worker/" },
      to: { path: "^src/(agent|local|sim)/" },
    },
    {
      name: "nothing-unresolvable",
      severity: "error",
      from: { path: "^src/" },
      to: { couldNotResolve: true, pathNot: "^(cloudflare:|chain-uptime-config$)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
    exclude: { path: "\\.test\\.ts$" },
  },
};
