import type { SimNodeSpec } from "../../src/sim/types.ts";

/**
 * The fleet every workerd test file shares (started once by fleet-setup.ts). Test files may run
 * in parallel, so each file owns the nodes with its own prefix and only switches faults on those.
 *   probe-*  test/workers/probes-*.test.ts
 *   e2e-*    test/workers/pipeline*.test.ts, api*.test.ts
 */
const fast = { blockTimeMs: 1000, startHeight: 5000 } as const;

export const TEST_LAYOUT: SimNodeSpec[] = [
  { id: "probe-20", version: "2.0", ...fast },
  { id: "probe-15", version: "1.5", ...fast },
  { id: "probe-x", version: "2.0", ...fast },
  { id: "e2e-a", version: "2.0", chainName: "casper-test", ...fast },
  { id: "e2e-b", version: "2.0", chainName: "casper-test", ...fast },
  { id: "e2e-c", version: "1.5", chainName: "casper-test", ...fast },
  { id: "e2e-d", version: "2.0", chainName: "casper-test", ...fast },
  { id: "e2e-e", version: "2.0", chainName: "casper-test", ...fast },
];
