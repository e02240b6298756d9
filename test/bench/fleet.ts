import type { ConfigInput } from "../../src/core/config/schema.ts";
import type { Fleet } from "../../src/sim/fleet.ts";
import type { FleetSpec } from "../../src/sim/types.ts";

/** The delay every simulated endpoint adds before answering: the latency the simulator serves. */
export const SERVED_DELAY_MS = 50;

/**
 * What each monitor checks. `http`: a plain JSON health endpoint (one listener each, so 5,000
 * fit under this machine's 20,000 open files; the same check blackbox's http_2xx does).
 * `casper`: a simulated Casper node's REST /status, evaluated by the Casper rules (four listeners
 * per node, so at most about 4,000 nodes here).
 */
export type BenchKind = "http" | "casper";

export interface BenchTarget {
  id: string;
  url: string;
}

/**
 * `n` healthy endpoints that answer every request `SERVED_DELAY_MS` late (the `slow` fault). The
 * http ones close each connection after answering, so both checkers open one per probe (as
 * blackbox_exporter does anyway): kept alive, 12,500 endpoints held ~12 s × the probe rate of
 * workerd's sockets and ran it out of this machine's 20,000 file descriptors at 1,250 probes/s.
 */
export function benchLayout(n: number, kind: BenchKind): FleetSpec[] {
  return Array.from(
    { length: n },
    (_, i): FleetSpec =>
      kind === "http"
        ? {
            kind: "json",
            id: `bench-${i}`,
            keepAlive: false,
            fault: { fault: "slow", delayMs: SERVED_DELAY_MS },
          }
        : {
            id: `bench-${i}`,
            version: "2.0",
            chainName: "casper-bench",
            // Blocks every 16 s (Casper 2.0) keep the simulator's own timers light.
            blockTimeMs: 16_000,
            fault: { fault: "slow", delayMs: SERVED_DELAY_MS },
          },
  );
}

export function benchTargets(fleet: Fleet, kind: BenchKind): BenchTarget[] {
  return kind === "http"
    ? fleet.json.map((j) => ({ id: j.id, url: `http://${j.host}:${j.ports.http}${j.path}` }))
    : fleet.nodes.map((n) => ({ id: n.id, url: `http://${n.host}:${n.ports.rest}/status` }));
}

/** Requests open right now at one member. */
export function inFlightAt(fleet: Fleet, kind: BenchKind, id: string): number {
  return kind === "http" ? fleet.jsonEndpoint(id).stats().inFlight : fleet.node(id).stats().inFlight;
}

/** One monitor per target, from one region (local workerd has only one place). */
export function benchConfig(targets: BenchTarget[], kind: BenchKind, intervalSec: number): ConfigInput {
  return {
    version: 1,
    monitors: targets.map((t) =>
      kind === "http"
        ? {
            id: t.id,
            name: `Bench endpoint ${t.id}`,
            chain: "generic" as const,
            check: { kind: "http" as const, url: t.url },
            intervalSec,
            timeoutMs: 5000,
            regions: ["weur" as const],
            tags: { network: "bench" },
          }
        : {
            id: t.id,
            name: `Bench node ${t.id}`,
            chain: "casper" as const,
            check: { kind: "casper-rest" as const, url: t.url },
            intervalSec,
            timeoutMs: 5000,
            regions: ["weur" as const],
            tags: { network: "casper-bench" },
            rules: { blockTimeSec: 16, expectChainName: "casper-bench" },
          },
    ),
  };
}
