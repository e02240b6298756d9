import type { Monitor } from "../../core/config/schema.ts";
import { casperRestProbe } from "../../probes/casper-rest.ts";
import { casperRpcProbe } from "../../probes/casper-rpc.ts";
import { casperSseProbe } from "../../probes/casper-sse.ts";
import { casperP2pProbe } from "./casper-p2p.ts";
import { chiaRpcProbe } from "./chia-rpc.ts";
import type { AgentProbe } from "./contract.ts";
import { nanoPeeringProbe } from "./nano-peering.ts";
import { tcpProbe } from "./tcp.ts";
import { tlsCertProbe } from "./tls-cert.ts";
import { nanoUdpKeepaliveProbe, udpProbe } from "./udp.ts";
import { chiaDaemonProbe, nanoWsProbe } from "./ws-ping.ts";

type AnyCheck = Monitor["check"];

/**
 * Every check kind the agent runs: its own kinds (UDP, peer certificates, client certificates,
 * private CAs) and the Worker's kinds whose probes work in Node — the fetch-based ones are shared
 * with the Worker as they are, `tcp` and `nano-ws` have Node transports here. A Worker kind missing
 * from this table is reported as unsupported (unknown), not as the node being down.
 */
export const AGENT_PROBES: Record<string, AgentProbe<never>> = {
  "tls-cert": tlsCertProbe,
  "casper-p2p": casperP2pProbe,
  "nano-peering": nanoPeeringProbe,
  "nano-udp-keepalive": nanoUdpKeepaliveProbe,
  udp: udpProbe,
  "chia-rpc": chiaRpcProbe,
  "chia-daemon": chiaDaemonProbe,
  tcp: tcpProbe,
  "nano-ws": nanoWsProbe,
  "casper-rest": casperRestProbe as AgentProbe<never>,
  "casper-rpc": casperRpcProbe as AgentProbe<never>,
  "casper-sse": casperSseProbe as AgentProbe<never>,
};

export function probeFor(check: AnyCheck): AgentProbe<AnyCheck> | undefined {
  return AGENT_PROBES[check.kind] as AgentProbe<AnyCheck> | undefined;
}
