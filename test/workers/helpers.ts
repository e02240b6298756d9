import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { inject } from "vitest";
import type { Region } from "../../src/core/config/regions.ts";
import { FleetControl } from "../../src/sim/control-client.ts";

export const fleet = inject("fleet");
export const control = new FleetControl(fleet.controlUrl);

export function prober(region: Region, shard = 0) {
  return env.PROBER.getByName(`prober:${region}:${shard}`, { locationHint: region });
}

export const board = () => env.BOARD.getByName("global");
export const stateShard = (name = "state:casper:casper-test") => env.STATE.getByName(name);

/**
 * Probe the given monitors now from one region, then clear the prober's alarm so that no
 * scheduled tick runs in the middle of a test.
 */
export async function probeNow(region: Region, only?: string[]) {
  const stub = prober(region);
  await stub.identify(region, 0);
  const r = await stub.tick({ force: true, only });
  await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
  return r;
}

/** Writes the board's pending snapshot to KV now instead of waiting for its coalescing alarm. */
export async function flushBoard() {
  await runDurableObjectAlarm(board());
}

export async function api<T = unknown>(path: string): Promise<{ status: number; body: T }> {
  const { default: worker } = await import("../../src/worker/index.ts");
  const { createExecutionContext } = await import("cloudflare:test");
  const res = await worker.fetch(new Request(`http://uptime.test${path}`), env, createExecutionContext());
  return { status: res.status, body: (await res.json()) as T };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One run of the Worker's cron handler (the watchdog), awaited to its end. */
export async function runCron(): Promise<void> {
  const { default: worker } = await import("../../src/worker/index.ts");
  const { createScheduledController, createExecutionContext, waitOnExecutionContext } = await import(
    "cloudflare:test"
  );
  const ctx = createExecutionContext();
  await worker.scheduled?.(
    createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}
