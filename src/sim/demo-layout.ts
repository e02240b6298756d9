import type { SimNodeSpec } from "./types.ts";

/**
 * The fleet `npm start` (and `npm run sim` without --layout) runs when there is no real node to
 * watch: healthy 2.0 and 1.5 nodes and one node for each thing the checker must catch. Ports are
 * fixed because uptime.config.json points at them; a test checks the two agree.
 */
const net = { chainName: "casper-sim", blockTimeMs: 4000 } as const;
const ports = (base: number) => ({ rest: base + 1, rpc: base + 2, sse: base + 3, p2p: base + 4 });

export const DEMO_LAYOUT: SimNodeSpec[] = [
  { id: "alpha", version: "2.0", ...net, ports: ports(17100) },
  { id: "bravo", version: "1.5", ...net, ports: ports(17110) },
  { id: "charlie", version: "2.0", ...net, ports: ports(17120), fault: { fault: "stalled" } },
  { id: "delta", version: "2.0", ...net, ports: ports(17130), fault: { fault: "refusing" } },
  { id: "echo", version: "2.0", ...net, ports: ports(17140), fault: { fault: "lagging", lagBlocks: 30 } },
  { id: "foxtrot", version: "2.0", ...net, ports: ports(17150), fault: { fault: "upgrade" } },
];

export const DEMO_CONTROL_PORT = 17099;
