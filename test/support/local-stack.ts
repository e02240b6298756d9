import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { type LocalWorkerOptions, startLocalWorker } from "../../src/local/local-worker.ts";
import { startFleet } from "../../src/sim/fleet.ts";
import { type ReceiversOptions, startReceivers } from "../../src/sim/receivers.ts";
import type { FleetSpec } from "../../src/sim/types.ts";

/**
 * The local stack of an end-to-end test file: a simulated fleet, stand-in receivers and the Worker
 * on local workerd, its state in a temporary folder. Everything started is stopped (last first) and
 * the folder removed once the file's tests end.
 */
export function localStack(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const running: { stop(): Promise<void> }[] = [];
  const started = <T extends { stop(): Promise<void> }>(x: T): T => {
    running.push(x);
    return x;
  };
  afterAll(async () => {
    for (const x of running.reverse()) await x.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  return {
    dir,
    fleet: async (layout: readonly FleetSpec[]) => started(await startFleet(layout)),
    receivers: async (opts?: ReceiversOptions) => started(await startReceivers(opts)),
    /** The Worker, its output kept for error messages; the same state folder every time. */
    worker: async (opts: Omit<LocalWorkerOptions, "dir">) =>
      started(await startLocalWorker({ dir: join(dir, "worker"), output: "pipe", ...opts })),
  };
}
