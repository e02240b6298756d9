import type { FleetSpec } from "../../src/sim/types.ts";

/**
 * Nano, Chia and generic-endpoint members of the workerd test fleet (appended to TEST_LAYOUT).
 * Each test file owns its prefix and only switches faults on its own members:
 *   nano-*  test/workers/probes-nano.test.ts  (nano-a stays healthy: the reference and the cache test)
 *   chia-*  test/workers/probes-chia.test.ts
 *   json-*  test/workers/probes-generic.test.ts
 *   nrep-*  test/workers/validators-nano.test.ts (representatives A and B, and a node that runs none)
 */
const nano = { kind: "nano", blocksPerSec: 20, startCemented: 5_000_000, peers: 12 } as const;

/** Representatives run by nrep-a (principal: 200,000 Nano) and nrep-b (50,000 Nano: not principal). */
export const NANO_REPS = { a: `nano_1${"a".repeat(59)}`, b: `nano_3${"b".repeat(59)}` } as const;

export const NANO_TEST_LAYOUT: FleetSpec[] = [
  { ...nano, id: "nrep-a", representative: { account: NANO_REPS.a, weightNano: 200_000 } },
  { ...nano, id: "nrep-b", representative: { account: NANO_REPS.b, weightNano: 50_000 } },
  { ...nano, id: "nrep-c" },
  { ...nano, id: "nano-a" },
  { ...nano, id: "nano-x" },
  { ...nano, id: "nano-ws" },
  { kind: "chia", id: "chia-peer" },
  {
    kind: "json",
    id: "json-api",
    path: "/health",
    body: { status: "UP", height: "1042", peers: [{ id: "tls:0a1b" }, { id: "tls:ffee" }], synced: true },
    rpc: {
      info_get_status: { api_version: "2.0.0", peers: [{ node_id: "tls:0a1b", address: "10.0.0.1:35000" }] },
      echo_params: { ok: true },
    },
  },
];
