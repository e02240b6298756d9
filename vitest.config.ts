import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import type { FleetInfo } from "./src/sim/types.ts";
import { testConfigFor } from "./test/support/test-config.ts";

// Two projects: "workers" runs inside workerd against the simulated fleet on loopback;
// "node" runs Node-side code (the fleet itself, CLIs, schema drift).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const fleet = inject<FleetInfo>("fleet");
            return {
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  UPTIME_CONFIG: JSON.stringify(testConfigFor(fleet)),
                  FLEET: JSON.stringify(fleet),
                  ADMIN_TOKEN: "test-admin-token",
                },
              },
            };
          }),
        ],
        // wrangler.toml's [alias] is wrangler's; the test bundler needs the same mapping.
        resolve: {
          alias: { "chain-uptime-config": fileURLToPath(new URL("./uptime.config.json", import.meta.url)) },
        },
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          globalSetup: ["./test/support/fleet-setup.ts"],
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
