import { z } from "zod";
import type { ChainContext, ChainEvaluation } from "../chains/types.ts";
import type { Chain } from "../config/chain.ts";
import type { ChainRules } from "../config/rules.ts";
import type { ChainFacts } from "../result.ts";
import { casperMetrics } from "./casper-metrics.ts";
import { casperP2p } from "./casper-p2p.ts";
import { casperRest } from "./casper-rest.ts";
import { casperRpc } from "./casper-rpc.ts";
import { casperSidecarAdmin } from "./casper-sidecar-admin.ts";
import { casperSidecarEvents } from "./casper-sidecar-events.ts";
import { casperSidecarRest } from "./casper-sidecar-rest.ts";
import { casperSse } from "./casper-sse.ts";
import { casperValidator } from "./casper-validator.ts";
import { chiaDaemon } from "./chia-daemon.ts";
import { chiaFarmer } from "./chia-farmer.ts";
import { chiaRpc } from "./chia-rpc.ts";
import type { KindDescriptor, Runtime } from "./descriptor.ts";
import { http } from "./http.ts";
import { jsonRpc } from "./json-rpc.ts";
import { nanoPeering } from "./nano-peering.ts";
import { nanoRepresentative } from "./nano-representative.ts";
import { nanoRpc } from "./nano-rpc.ts";
import { nanoUdpKeepalive } from "./nano-udp-keepalive.ts";
import { nanoWs } from "./nano-ws.ts";
import { push } from "./push.ts";
import { tcp } from "./tcp.ts";
import { tlsCert } from "./tls-cert.ts";
import { udp } from "./udp.ts";

/**
 * Every check kind, in the order the README lists them. Adding a kind: write its descriptor
 * (kinds/<kind>.ts) and its probe (src/probes/ or src/agent/probes/), add it here and to the probe
 * table of each runtime it names, then `npm run gen` for the JSON Schema and the README table.
 */
export const KINDS = [
  casperRest,
  casperRpc,
  casperSse,
  casperMetrics,
  casperSidecarEvents,
  casperSidecarRest,
  casperSidecarAdmin,
  casperP2p,
  casperValidator,
  nanoRpc,
  nanoWs,
  nanoPeering,
  nanoUdpKeepalive,
  nanoRepresentative,
  chiaRpc,
  chiaDaemon,
  chiaFarmer,
  tcp,
  tlsCert,
  udp,
  http,
  jsonRpc,
  push,
] as const;

type Descriptor = (typeof KINDS)[number];
type SchemasOf<T extends readonly { schema: unknown }[]> = { -readonly [I in keyof T]: T[I]["schema"] };

export const CheckSchema = z.discriminatedUnion(
  "kind",
  KINDS.map((k) => k.schema) as unknown as SchemasOf<typeof KINDS>,
);
export type Check = z.infer<typeof CheckSchema>;
export type CheckKind = Check["kind"];
export type CheckOf<K extends CheckKind> = Extract<Check, { kind: K }>;

/** Kinds whose descriptor says they run in `R`: the keys each runtime's probe table must have. */
export type KindsIn<R extends Runtime> = Descriptor extends infer D
  ? D extends { kind: infer K; runsIn: readonly (infer In)[] }
    ? R extends In
      ? K
      : never
    : never
  : never;
export type WorkerKind = KindsIn<"worker">;
export type AgentKind = KindsIn<"agent">;
export type WorkerCheck = CheckOf<WorkerKind>;

const BY_KIND = new Map<string, KindDescriptor>(KINDS.map((k) => [k.kind, k as unknown as KindDescriptor]));

export function kindOf(kind: CheckKind): KindDescriptor {
  return BY_KIND.get(kind) as KindDescriptor;
}

/** The chain a kind belongs to; undefined for kinds that fit any chain (tcp, http, …). */
export function chainOfKind(kind: CheckKind): Chain | undefined {
  return kindOf(kind).chain;
}

export function runsIn(kind: CheckKind, runtime: Runtime): boolean {
  return kindOf(kind).runsIn.includes(runtime);
}

/** The key a validator check judges (see KindDescriptor.subject); undefined for other kinds. */
export function validatorSubject(check: Check): { chain: Chain; key: string } | undefined {
  const d = kindOf(check.kind);
  if (!d.subject || !d.chain) return undefined;
  return { chain: d.chain, key: d.subject(check) };
}

/** Kinds that judge a key as the network sees it: failing to read the network is `unknown`. */
export function judgesKey(kind: CheckKind): boolean {
  return kindOf(kind).subject !== undefined;
}

/** Narrows a check to one the Worker can probe. */
export function isWorkerCheck(check: Check): check is WorkerCheck {
  return runsIn(check.kind, "worker");
}

/** Judges a successful probe's facts by the rules of the check's kind. */
export function evaluateCheck(
  check: Check,
  facts: ChainFacts,
  rules: ChainRules,
  ctx: ChainContext,
): ChainEvaluation {
  return kindOf(check.kind).evaluate(check, facts, rules, ctx);
}
