import type { ConfigInput } from "../core/config/schema.ts";
import type { FleetInfo, SimNodeSpec } from "../sim/types.ts";

/**
 * A fleet of `n` healthy nodes and a config with one REST monitor per node, for measuring
 * throughput and storage writes locally (`npm start -- --scale 500 --for 120`).
 */
export function scaleLayout(n: number): SimNodeSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `scale-${i}`,
    version: "2.0" as const,
    chainName: "casper-sim",
    blockTimeMs: 4000,
  }));
}

export function scaleConfig(fleet: FleetInfo, intervalSec: number): ConfigInput {
  return {
    version: 1,
    monitors: fleet.nodes.map((node) => ({
      id: node.id,
      name: `Scale node ${node.id}`,
      chain: "casper",
      check: { kind: "casper-rest", url: `http://${node.host}:${node.ports.rest}/status` },
      intervalSec,
      timeoutMs: 5000,
      regions: ["weur"],
      tags: { network: "casper-sim" },
      rules: { blockTimeSec: 4, expectChainName: "casper-sim" },
    })),
  };
}
