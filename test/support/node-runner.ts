import { nodePlatform } from "../../src/agent/net/platform.ts";
import { WORKER_PROBES } from "../../src/probes/index.ts";
import { createRunner } from "../../src/probes/runner.ts";

/**
 * The Worker's probes run by the shared runner in Node (with node:net for TCP), for tests of
 * probe logic that need no workerd: the same runner the Worker and the agent use.
 */
export const runNodeProbe = createRunner(WORKER_PROBES, nodePlatform);
