import type { TestProject } from "vitest/node";
import { startFleet } from "../../src/sim/fleet.ts";
import { startReceivers } from "../../src/sim/receivers.ts";
import { TEST_LAYOUT } from "./fleet-layout.ts";
import { TEST_WEBHOOK_SECRET } from "./test-secrets.ts";

declare module "vitest" {
  export interface ProvidedContext {
    fleet: import("../../src/sim/types.ts").FleetInfo;
    receivers: { url: string; urls: Record<"slack" | "discord" | "pagerduty" | "webhook", string> };
  }
}

/**
 * Starts the simulated fleet and the stand-in alert receivers on loopback once for the workerd
 * test run; both stop with the run.
 */
export default async function setup(project: TestProject) {
  const fleet = await startFleet(TEST_LAYOUT);
  const receivers = await startReceivers({ webhookSecret: TEST_WEBHOOK_SECRET });
  project.provide("fleet", fleet.info());
  project.provide("receivers", { url: receivers.url, urls: receivers.urls });
  return async () => {
    await Promise.all([fleet.stop(), receivers.stop()]);
  };
}
