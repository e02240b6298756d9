import type { TestProject } from "vitest/node";
import { startFleet } from "../../src/sim/fleet.ts";
import { TEST_LAYOUT } from "./fleet-layout.ts";

declare module "vitest" {
  export interface ProvidedContext {
    fleet: import("../../src/sim/types.ts").FleetInfo;
  }
}

/** Starts the simulated fleet on loopback once for the workerd test run; it stops with the run. */
export default async function setup(project: TestProject) {
  const fleet = await startFleet(TEST_LAYOUT);
  project.provide("fleet", { controlUrl: fleet.controlUrl, nodes: fleet.nodes });
  return async () => {
    await fleet.stop();
  };
}
