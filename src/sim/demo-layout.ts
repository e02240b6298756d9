import type { FleetSpec } from "./types.ts";

/**
 * The fleet `npm start` (and `npm run sim` without --layout) runs when there is no real node to
 * watch: healthy 2.0 (with its event sidecar) and 1.5 Casper nodes, one Casper node for each
 * thing the checker must catch, a Nano node behind an RPC proxy, a Chia peer and a JSON API.
 * Ports are fixed because uptime.config.json points at them; a test checks the two agree.
 */
const net = { chainName: "casper-sim", blockTimeMs: 4000 } as const;

/**
 * The demo's validators: Acme Staking's key runs on alpha and does its job; Blue Harbor's runs on
 * golf, whose node answers every port while the key proposes nothing (a validator-level fault no
 * port check sees). Nano Rep Co's representative is online, its backup one is not.
 */
export const DEMO_VALIDATORS = {
  acme: `01${"acbe".repeat(16)}`,
  blueHarbor: `01${"6f1f".repeat(16)}`,
  nanoRep: `nano_1${"demorep".repeat(8)}aaa`,
  nanoBackup: `nano_3${"xbbbbbbbbb".repeat(5)}${"b".repeat(9)}`,
} as const;
const ports = (base: number) => ({ rest: base + 1, rpc: base + 2, sse: base + 3, p2p: base + 4 });

export const DEMO_LAYOUT: FleetSpec[] = [
  {
    id: "alpha",
    version: "2.0",
    ...net,
    sidecar: true,
    validatorKey: DEMO_VALIDATORS.acme,
    validatorWeight: 30,
    ports: { ...ports(17100), sidecarSse: 17105, sidecarRest: 17106, sidecarAdmin: 17107 },
  },
  { id: "bravo", version: "1.5", ...net, ports: ports(17110) },
  { id: "charlie", version: "2.0", ...net, ports: ports(17120), fault: { fault: "stalled" } },
  { id: "delta", version: "2.0", ...net, ports: ports(17130), fault: { fault: "refusing" } },
  { id: "echo", version: "2.0", ...net, ports: ports(17140), fault: { fault: "lagging", lagBlocks: 30 } },
  { id: "foxtrot", version: "2.0", ...net, ports: ports(17150), fault: { fault: "upgrade" } },
  {
    id: "golf",
    version: "2.0",
    ...net,
    ports: ports(17160),
    validatorKey: DEMO_VALIDATORS.blueHarbor,
    validatorWeight: 30,
    validatorStatus: "silent",
  },
  {
    kind: "nano",
    id: "nano-1",
    network: "live",
    ports: { rpc: 17201, proxy: 17202, ws: 17203 },
    representative: { account: DEMO_VALIDATORS.nanoRep, weightNano: 1_200_000 },
  },
  {
    kind: "nano",
    id: "nano-2",
    network: "live",
    ports: { rpc: 17211, proxy: 17212, ws: 17213 },
    representative: { account: DEMO_VALIDATORS.nanoBackup, weightNano: 300_000, online: false },
  },
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

/** The demo's two Chia farmer RPCs (mutual TLS), probed by the demo agent (src/local/demo-agent.ts). */
export const DEMO_FARMER_PORTS = { main: 17311, backup: 17312 } as const;
