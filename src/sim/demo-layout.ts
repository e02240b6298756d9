import type { FleetSpec } from "./types.ts";

/**
 * The fleet `npm start` (and `npm run sim` without --layout) runs when there is no real node to
 * watch: healthy 2.0 (with its event sidecar) and 1.5 Casper nodes, one Casper node for each
 * thing the checker must catch, a Nano node behind an RPC proxy, a Chia peer and a JSON API.
 * Ports are fixed because uptime.config.json points at them; a test checks the two agree.
 */
const net = { chainName: "casper-sim", blockTimeMs: 4000 } as const;
const ports = (base: number) => ({ rest: base + 1, rpc: base + 2, sse: base + 3, p2p: base + 4 });

export const DEMO_LAYOUT: FleetSpec[] = [
  {
    id: "alpha",
    version: "2.0",
    ...net,
    sidecar: true,
    ports: { ...ports(17100), sidecarSse: 17105, sidecarRest: 17106, sidecarAdmin: 17107 },
  },
  { id: "bravo", version: "1.5", ...net, ports: ports(17110) },
  { id: "charlie", version: "2.0", ...net, ports: ports(17120), fault: { fault: "stalled" } },
  { id: "delta", version: "2.0", ...net, ports: ports(17130), fault: { fault: "refusing" } },
  { id: "echo", version: "2.0", ...net, ports: ports(17140), fault: { fault: "lagging", lagBlocks: 30 } },
  { id: "foxtrot", version: "2.0", ...net, ports: ports(17150), fault: { fault: "upgrade" } },
  { kind: "nano", id: "nano-1", network: "live", ports: { rpc: 17201, proxy: 17202, ws: 17203 } },
  { kind: "chia", id: "chia-1", ports: { peer: 17301 } },
  {
    kind: "json",
    id: "api-1",
    path: "/health",
    body: { status: "UP", height: 1234, peers: ["a", "b", "c"], version: "1.4.2" },
    ports: { http: 17401 },
  },
];

export const DEMO_CONTROL_PORT = 17099;
