import type { AgentKind } from "../../core/kinds/index.ts";
import { casperRestProbe } from "../../probes/casper-rest.ts";
import { casperRpcProbe } from "../../probes/casper-rpc.ts";
import { casperSseProbe } from "../../probes/casper-sse.ts";
import type { ProbeTable } from "../../probes/contract.ts";
import { httpProbe } from "../../probes/http.ts";
import { jsonRpcGenericProbe } from "../../probes/json-rpc-generic.ts";
import { nanoRpcProbe } from "../../probes/nano-rpc.ts";
import { createRunner } from "../../probes/runner.ts";
import { tcpProbe } from "../../probes/tcp.ts";
import { nodePlatform } from "../net/platform.ts";
import { casperP2pProbe } from "./casper-p2p.ts";
import { chiaFarmerProbe } from "./chia-farmer.ts";
import { chiaRpcProbe } from "./chia-rpc.ts";
import { nanoPeeringProbe } from "./nano-peering.ts";
import { tlsCertProbe } from "./tls-cert.ts";
import { nanoUdpKeepaliveProbe, udpProbe } from "./udp.ts";
import { chiaDaemonProbe, nanoWsProbe } from "./ws-ping.ts";

/**
 * Every check kind the agent runs, one per kind whose descriptor names the agent (a missing one is
 * a compile error): its own kinds (UDP, peer certificates, client certificates, private CAs) and the
 * Worker's fetch-based probes as they are; `nano-ws` has a Node transport here.
 */
export const AGENT_PROBES: ProbeTable<AgentKind> = {
  "tls-cert": tlsCertProbe,
  "casper-p2p": casperP2pProbe,
  "nano-peering": nanoPeeringProbe,
  "nano-udp-keepalive": nanoUdpKeepaliveProbe,
  udp: udpProbe,
  "chia-rpc": chiaRpcProbe,
  "chia-farmer": chiaFarmerProbe,
  "chia-daemon": chiaDaemonProbe,
  tcp: tcpProbe,
  "nano-ws": nanoWsProbe,
  "nano-rpc": nanoRpcProbe,
  "casper-rest": casperRestProbe,
  "casper-rpc": casperRpcProbe,
  "casper-sse": casperSseProbe,
  http: httpProbe,
  "json-rpc": jsonRpcGenericProbe,
};

/** Runs a check from this host: the shared runner over the agent's probes and node:net. */
export const runAgentProbe = createRunner(AGENT_PROBES, nodePlatform);
