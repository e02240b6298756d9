import type { FleetSpec } from "../../src/sim/types.ts";
import { NANO_TEST_LAYOUT } from "./nano-layout.ts";

/**
 * The fleet every workerd test file shares (started once by fleet-setup.ts). Test files may run
 * in parallel, so each file owns the nodes with its own prefix and only switches faults on those.
 *   probe-*  test/workers/probes-*.test.ts
 *   e2e-*    test/workers/pipeline*.test.ts, api*.test.ts
 *   side-*   test/workers/probes-sidecar*.test.ts, probes-metrics*.test.ts
 *   alert-*  test/workers/alerts.test.ts, maintenance-watchdog.test.ts
 *   cost-*   the cost test in pipeline.test.ts (never faulted, so no recheck adds probes)
 *   nano-*, chia-*, json-*  see nano-layout.ts
 */
const fast = { blockTimeMs: 1000, startHeight: 5000 } as const;

/** Validator keys of the val-* nodes (hex, ed25519-shaped: 01 + 64 hex). */
export const VALIDATOR_KEYS = {
  ok: `01${"a1".repeat(32)}`,
  cannotPropose: `01${"b2".repeat(32)}`,
  faulty: `01${"c3".repeat(32)}`,
  banned: `01${"d4".repeat(32)}`,
  evicting: `01${"e5".repeat(32)}`,
  removed: `01${"f6".repeat(32)}`,
  v15: `01${"17".repeat(32)}`,
  silent: `01${"5a".repeat(32)}`,
  pipeline: `01${"9c".repeat(32)}`,
} as const;

// Half-second blocks: a 20-block era passes in 10 s, so a change that waits for the era shows.
const val = { version: "2.0", chainName: "casper-val", blockTimeMs: 500, startHeight: 5000 } as const;
const CASPER_VALIDATOR_LAYOUT: FleetSpec[] = [
  { ...val, id: "val-ok", validatorKey: VALIDATOR_KEYS.ok },
  { ...val, id: "val-cp", validatorKey: VALIDATOR_KEYS.cannotPropose },
  // With an event sidecar: its REST serves the Fault events it stored (/faults/<key>).
  { ...val, id: "val-faulty", validatorKey: VALIDATOR_KEYS.faulty, sidecar: true },
  { ...val, id: "val-banned", validatorKey: VALIDATOR_KEYS.banned },
  { ...val, id: "val-evict", validatorKey: VALIDATOR_KEYS.evicting },
  { ...val, id: "val-removed", validatorKey: VALIDATOR_KEYS.removed },
  { ...val, id: "val-15", version: "1.5", validatorKey: VALIDATOR_KEYS.v15 },
  // test/workers/validators-pipeline.test.ts
  { ...val, id: "val-pipe", validatorKey: VALIDATOR_KEYS.pipeline },
  {
    id: "val-silent",
    version: "2.0",
    chainName: "casper-val-silent",
    blockTimeMs: 500,
    startHeight: 5000,
    validatorKey: VALIDATOR_KEYS.silent,
    auction: { validators: 1, delegators: 0 },
  },
];

export const TEST_LAYOUT: FleetSpec[] = [
  { id: "probe-20", version: "2.0", ...fast },
  { id: "probe-15", version: "1.5", ...fast },
  { id: "probe-x", version: "2.0", ...fast },
  { id: "e2e-a", version: "2.0", chainName: "casper-test", ...fast },
  { id: "e2e-b", version: "2.0", chainName: "casper-test", ...fast },
  { id: "e2e-c", version: "1.5", chainName: "casper-test", ...fast },
  { id: "e2e-d", version: "2.0", chainName: "casper-test", ...fast },
  { id: "e2e-e", version: "2.0", chainName: "casper-test", ...fast },
  { id: "side-20", version: "2.0", sidecar: true, ...fast },
  { id: "side-x", version: "2.0", sidecar: true, ...fast },
  { id: "alert-a", version: "2.0", chainName: "casper-alerts", ...fast },
  { id: "alert-b", version: "2.0", chainName: "casper-alerts", ...fast },
  { id: "cost-a", version: "2.0", ...fast },
  { id: "cost-b", version: "2.0", ...fast },
  ...NANO_TEST_LAYOUT,
  // test/workers/validators-casper.test.ts: one validator key per node, one status per key;
  // val-silent is a validator with most of its own network's weight, so a silence shows in an era.
  ...CASPER_VALIDATOR_LAYOUT,
  // test/workers/usage.test.ts (region me, network casper-usage; never faulted)
  { id: "usage-a", version: "2.0", ...fast },
  { id: "usage-b", version: "2.0", ...fast },
];
