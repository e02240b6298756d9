import type { WorkerKind } from "../core/kinds/index.ts";
import { casperMetricsProbe } from "./casper-metrics.ts";
import { casperRestProbe } from "./casper-rest.ts";
import { casperRpcProbe } from "./casper-rpc.ts";
import { casperSidecarAdminProbe } from "./casper-sidecar-admin.ts";
import { casperSidecarEventsProbe } from "./casper-sidecar-events.ts";
import { casperSidecarRestProbe } from "./casper-sidecar-rest.ts";
import { casperSseProbe } from "./casper-sse.ts";
import { casperValidatorProbe } from "./casper-validator.ts";
import type { ProbeTable } from "./contract.ts";
import { httpProbe } from "./http.ts";
import { jsonRpcGenericProbe } from "./json-rpc-generic.ts";
import { nanoRepresentativeProbe } from "./nano-representative.ts";
import { nanoRpcProbe } from "./nano-rpc.ts";
import { nanoWsProbe } from "./nano-ws.ts";
import { tcpProbe } from "./tcp.ts";

export type { Platform, Probe, ProbeOptions, ProbeRun } from "./contract.ts";

/**
 * The Worker's probes: one for every kind whose descriptor says it runs in the Worker. A kind
 * declared there without a probe here, or a probe here for a kind not declared, is a compile error.
 */
export const WORKER_PROBES: ProbeTable<WorkerKind> = {
  "casper-rest": casperRestProbe,
  "casper-rpc": casperRpcProbe,
  "casper-sse": casperSseProbe,
  "casper-metrics": casperMetricsProbe,
  "casper-sidecar-events": casperSidecarEventsProbe,
  "casper-sidecar-rest": casperSidecarRestProbe,
  "casper-sidecar-admin": casperSidecarAdminProbe,
  "casper-validator": casperValidatorProbe,
  "nano-rpc": nanoRpcProbe,
  "nano-representative": nanoRepresentativeProbe,
  "nano-ws": nanoWsProbe,
  http: httpProbe,
  "json-rpc": jsonRpcGenericProbe,
  tcp: tcpProbe,
};
