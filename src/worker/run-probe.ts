import { WORKER_PROBES } from "../probes/index.ts";
import { createRunner } from "../probes/runner.ts";
import { workerPlatform } from "./platform.ts";

/** Runs a Worker-kind check from this region: the shared runner over the Worker's probes and sockets. */
export const runProbe = createRunner(WORKER_PROBES, workerPlatform);
