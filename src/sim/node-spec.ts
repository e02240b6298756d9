import { VALIDATOR_STATUSES, type ValidatorStatus } from "./casper-validators.ts";
import { FaultSpecError, HEALTHY, parseFaultSpec, SIDECAR_FAULTS } from "./faults.ts";
import type { FaultSpec, SimNodeSpec, SimPorts, SimVersion } from "./types.ts";

/** A node spec with every default filled in. */
export interface ResolvedNodeSpec {
  id: string;
  version: SimVersion;
  chainName: string;
  blockTimeMs: number;
  startHeight: number;
  ports: SimPorts;
  fault: FaultSpec;
  peers: number;
  keepAliveMs: number;
  /** Runs an event sidecar (its ports are then in `ports` too). */
  sidecar: boolean;
  validatorKey?: string;
  validatorWeight?: number;
  validatorStatus?: ValidatorStatus;
  auction?: { validators: number; delegators: number };
}

export const NODE_DEFAULTS = {
  chainName: "casper-sim",
  blockTimeMs: 4000,
  startHeight: 1000,
  peers: 5,
  keepAliveMs: 15_000,
} as const;

const PORT_NAMES = ["rest", "rpc", "sse", "p2p"] as const;
const SIDECAR_PORT_NAMES = ["sidecarSse", "sidecarRest", "sidecarAdmin"] as const;

/** Fills defaults and checks a layout entry; errors name the node and the field (layouts come from JSON files). */
export function resolveNodeSpec(spec: SimNodeSpec): ResolvedNodeSpec {
  const where = `node ${JSON.stringify(spec?.id)}`;
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new Error(`${where}: ${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  };
  if (typeof spec !== "object" || spec === null) fail("spec", "an object", spec);
  if (typeof spec.id !== "string" || !/^[A-Za-z0-9._-]+$/.test(spec.id))
    fail("id", "letters, digits, . _ -", spec.id);
  if (spec.version !== "1.5" && spec.version !== "2.0") fail("version", '"1.5" or "2.0"', spec.version);
  const chainName = spec.chainName ?? NODE_DEFAULTS.chainName;
  if (typeof chainName !== "string" || chainName === "") fail("chainName", "a non-empty string", chainName);
  const whole = (field: string, value: unknown, min: number): number => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
      return fail(field, `an integer >= ${min}`, value);
    }
    return value;
  };
  const sidecar = spec.sidecar ?? false;
  if (typeof sidecar !== "boolean") fail("sidecar", "true or false", sidecar);
  if (sidecar && spec.version !== "2.0")
    fail("sidecar", "a 2.0 node (the event sidecar came with 2.0)", spec.version);
  const ports: SimPorts = { rest: 0, rpc: 0, sse: 0, p2p: 0 };
  for (const name of [...PORT_NAMES, ...(sidecar ? SIDECAR_PORT_NAMES : [])]) {
    const port = spec.ports?.[name];
    ports[name] = port === undefined ? 0 : whole(`ports.${name}`, port, 0);
  }
  let fault = HEALTHY;
  if (spec.fault !== undefined) {
    try {
      fault = parseFaultSpec(spec.fault);
    } catch (error) {
      if (error instanceof FaultSpecError) throw new Error(`${where}: fault.${error.message}`);
      throw error;
    }
    if (!sidecar && SIDECAR_FAULTS.has(fault.fault)) {
      fail("fault.fault", "a fault of the node itself (this node runs no sidecar)", fault.fault);
    }
  }
  if (spec.validatorKey !== undefined && !/^(01[0-9a-f]{64}|02[0-9a-f]{66})$/.test(spec.validatorKey))
    fail("validatorKey", "a hex public key (01 + 64 hex, or 02 + 66 hex)", spec.validatorKey);
  const auction =
    spec.auction === undefined
      ? undefined
      : {
          validators: whole("auction.validators", spec.auction?.validators, 0),
          delegators: whole("auction.delegators", spec.auction?.delegators, 0),
        };
  if (spec.validatorStatus !== undefined && !VALIDATOR_STATUSES.includes(spec.validatorStatus))
    fail("validatorStatus", `one of ${VALIDATOR_STATUSES.join(", ")}`, spec.validatorStatus);
  return {
    ...(spec.validatorKey === undefined ? {} : { validatorKey: spec.validatorKey }),
    ...(spec.validatorWeight === undefined
      ? {}
      : { validatorWeight: whole("validatorWeight", spec.validatorWeight, 1) }),
    ...(spec.validatorStatus === undefined ? {} : { validatorStatus: spec.validatorStatus }),
    ...(auction ? { auction } : {}),
    id: spec.id,
    version: spec.version,
    chainName,
    blockTimeMs: whole("blockTimeMs", spec.blockTimeMs ?? NODE_DEFAULTS.blockTimeMs, 1),
    startHeight: whole("startHeight", spec.startHeight ?? NODE_DEFAULTS.startHeight, 0),
    ports,
    fault,
    peers: whole("peers", spec.peers ?? NODE_DEFAULTS.peers, 0),
    keepAliveMs: whole("keepAliveMs", spec.keepAliveMs ?? NODE_DEFAULTS.keepAliveMs, 1),
    sidecar,
  };
}
