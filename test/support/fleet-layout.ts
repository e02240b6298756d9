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
  // test/workers/usage.test.ts (region me, network casper-usage; never faulted)
  { id: "usage-a", version: "2.0", ...fast },
  { id: "usage-b", version: "2.0", ...fast },
];
