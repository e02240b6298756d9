import { expect, inject } from "vitest";
import { type ProbeResult, ProbeResultSchema } from "../../src/core/result.ts";
import type { ProbeOptions } from "../../src/probes/contract.ts";
import { FleetControl } from "../../src/sim/control-client.ts";
import type { FleetInfo, SimChiaInfo, SimJsonInfo, SimNanoInfo } from "../../src/sim/types.ts";

// Shared by the Nano, Chia and generic probe tests: the fleet's non-Casper members and a probe
// runner that holds results to the contract runProbe enforces.

export const fleet = inject("fleet");
export const control = new FleetControl(fleet.controlUrl);
export const UA = "chain-uptime-test/1 (vantage-a)";
/** Timer slack on top of a deadline: workerd, loopback and the simulator's own timers. */
export const SLACK_MS = 400;

let members: Required<FleetInfo> | undefined;

/**
 * The fleet with every member kind. The provided `fleet` carries only Casper nodes unless the
 * global setup passes the rest, so fall back to the control API (call from beforeAll: workerd
 * allows no I/O at module scope).
 */
export async function fleetMembers(): Promise<Required<FleetInfo>> {
  if (fleet.nano && fleet.chia && fleet.json) {
    members = {
      controlUrl: fleet.controlUrl,
      nodes: fleet.nodes,
      nano: fleet.nano,
      chia: fleet.chia,
      json: fleet.json,
    };
  }
  members ??= await control.info();
  return members;
}

function find<T extends { id: string }>(list: T[], id: string): T {
  const found = list.find((m) => m.id === id);
  if (!found) throw new Error(`fleet has no ${id}`);
  return found;
}

export const nanoMember = async (id: string): Promise<SimNanoInfo> => find((await fleetMembers()).nano, id);
export const chiaMember = async (id: string): Promise<SimChiaInfo> => find((await fleetMembers()).chia, id);
export const jsonMember = async (id: string): Promise<SimJsonInfo> => find((await fleetMembers()).json, id);

export const opts = (timeoutMs = 4000, userAgent = UA): ProbeOptions => ({ timeoutMs, userAgent });

/** Runs a probe directly and checks the result against the schema and for leaked targets. */
export async function run<C>(
  probe: (check: C, options: ProbeOptions, signal: AbortSignal) => Promise<ProbeResult>,
  check: C,
  options = opts(),
  target?: { host: string; ports: object },
): Promise<ProbeResult & { tookMs: number }> {
  const started = Date.now();
  const result = await probe(check, options, new AbortController().signal);
  const tookMs = Date.now() - started;
  const parsed = ProbeResultSchema.safeParse(result);
  expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues)).toBe(true);
  const msg = result.error?.message ?? "";
  expect(msg).not.toMatch(/(https?|wss?):\/\//);
  if (target) {
    expect(msg).not.toContain(target.host);
    for (const p of Object.values(target.ports as Record<string, number>)) expect(msg).not.toContain(`:${p}`);
  }
  return { ...result, tookMs };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
