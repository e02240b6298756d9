import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import type { FleetInfo } from "./src/sim/types.ts";
import { testConfigFor } from "./test/support/test-config.ts";
import { TEST_PUSH_TOKENS, TEST_TELEGRAM_TOKEN, TEST_WEBHOOK_SECRET } from "./test/support/test-secrets.ts";
import { AGENT_KEY_BINDINGS, agentTestConfig } from "./test/workers/agent-support.ts";

// Two projects: "workers" runs inside workerd against the simulated fleet on loopback;
// "node" runs Node-side code (the fleet itself, CLIs, schema drift).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const fleet = inject<FleetInfo>("fleet");
            const receivers = inject<{ urls: Record<string, string> }>("receivers");
            return {
              wrangler: { configPath: "./wrangler.jsonc" },
              miniflare: {
                bindings: {
                  UPTIME_CONFIG: JSON.stringify(testConfigFor(fleet, receivers.urls)),
                  ADMIN_TOKEN: "test-admin-token",
                  // Tests read right after the board publishes: no isolate may trust an older version.
                  PUBLIC_VERSION_TTL_MS: "0",
                  // Secrets the test config's alert channels name, pointing at the stand-in receivers.
                  SLACK_URL: `${receivers.urls.slack}/ops`,
                  DISCORD_URL: `${receivers.urls.discord}/ops`,
                  WEBHOOK_URL: `${receivers.urls.webhook}/ops`,
                  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
                  PD_ROUTING_KEY: "0123456789abcdef0123456789abcdef",
                  TELEGRAM_BOT_TOKEN: TEST_TELEGRAM_TOKEN,
                  NTFY_TOKEN: "tk_chainuptimetest0000000000000",
                  ...TEST_PUSH_TOKENS,
                },
              },
            };
          }),
        ],
        // wrangler.jsonc's "alias" is wrangler's; the test bundler needs the same mapping.
        resolve: {
          alias: { "chain-uptime-config": fileURLToPath(new URL("./uptime.config.json", import.meta.url)) },
        },
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          exclude: ["test/workers/agent-*.test.ts"],
          globalSetup: ["./test/support/fleet-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The agent ingest endpoints, in workerd with a config of their own (agents and their keys).
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                UPTIME_CONFIG: JSON.stringify(agentTestConfig()),
                // As in the workers project: reads right after a publication see it.
                PUBLIC_VERSION_TTL_MS: "0",
                ...AGENT_KEY_BINDINGS,
              },
            },
          }),
        ],
        resolve: {
          alias: { "chain-uptime-config": fileURLToPath(new URL("./uptime.config.json", import.meta.url)) },
        },
        test: {
          name: "workers-agent",
          include: ["test/workers/agent-*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts", "src/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
    ],
  },
});
