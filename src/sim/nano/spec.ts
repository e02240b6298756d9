import { FaultSpecError } from "../faults.ts";
import { type FieldRule, parseMemberFault } from "../generic/fault-spec.ts";
import {
  NANO_FAULTS,
  type NanoFaultSpec,
  type NanoNetwork,
  type SimNanoPorts,
  type SimNanoSpec,
} from "../types.ts";

/** NanoRPCProxy's settings.json.default `allowed_commands` (shared/reference/samples/nano-rpcproxy-settings.default.json). */
export const PROXY_DEFAULT_ALLOWED = [
  "account_history",
  "account_info",
  "account_balance",
  "accounts_balances",
  "account_key",
  "account_representative",
  "account_weight",
  "accounts_frontiers",
  "accounts_pending",
  "active_difficulty",
  "available_supply",
  "block_account",
  "block_info",
  "block_count",
  "block_create",
  "block_confirm",
  "blocks_info",
  "chain",
  "confirmation_quorum",
  "delegators_count",
  "frontiers",
  "key_create",
  "pending",
  "pending_exists",
  "process",
  "representatives",
  "representatives_online",
  "sign",
  "successors",
  "price",
  "mnano_to_raw",
  "mnano_from_raw",
  "work_validate",
  "validate_account_number",
  "version",
  "verified_accounts",
] as const;

export const NANO_DEFAULTS = {
  network: "live" as NanoNetwork,
  nodeVersion: "V27.1",
  startCemented: 200_000_000,
  blocksPerSec: 5,
  peers: 40,
  cacheSec: 30,
  /** NanoRPCProxy caches representatives_online for 300 s (CHAINS.md B). */
  onlineCacheSec: 300,
  /** Above the checker's default Nano lag threshold (10000), so "lagging" is caught as such. */
  lagBlocks: 50_000,
  blockedAction: "version",
} as const;

const NETWORKS: readonly NanoNetwork[] = ["live", "beta", "test", "dev"];
const PORT_NAMES = ["rpc", "proxy", "ws"] as const;
const FAULT_FIELDS: Record<string, FieldRule> = {
  lagBlocks: "whole>=0",
  delayMs: "whole>=0",
  action: "text",
  userAgentContains: "text",
};

export interface ResolvedNanoSpec {
  id: string;
  network: NanoNetwork;
  nodeVersion: string;
  startCemented: number;
  blocksPerSec: number;
  peers: number;
  cacheSec: number;
  onlineCacheSec: number;
  allowedActions: string[];
  representative?: { account: string; weightNano: number; online: boolean };
  ports: Partial<SimNanoPorts>;
  fault: NanoFaultSpec;
}

export function parseNanoFault(body: unknown): NanoFaultSpec {
  return parseMemberFault(body, NANO_FAULTS, FAULT_FIELDS) as NanoFaultSpec;
}

/** Fills defaults and checks a layout entry; errors name the node and the field. */
export function resolveNanoSpec(spec: SimNanoSpec): ResolvedNanoSpec {
  const where = `node ${JSON.stringify(spec.id)}`;
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new Error(`${where}: ${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  };
  const whole = (field: string, value: unknown, min: number): number =>
    typeof value === "number" && Number.isSafeInteger(value) && value >= min
      ? value
      : fail(field, `an integer >= ${min}`, value);
  if (typeof spec.id !== "string" || !/^[A-Za-z0-9._-]+$/.test(spec.id))
    fail("id", "letters, digits, . _ -", spec.id);
  const network = spec.network ?? NANO_DEFAULTS.network;
  if (!NETWORKS.includes(network)) fail("network", NETWORKS.join(" | "), network);
  const nodeVersion = spec.nodeVersion ?? NANO_DEFAULTS.nodeVersion;
  if (typeof nodeVersion !== "string" || !/^V?\d+(\.\d+)*/.test(nodeVersion)) {
    fail("nodeVersion", 'a version such as "V27.1"', nodeVersion);
  }
  const blocksPerSec = spec.blocksPerSec ?? NANO_DEFAULTS.blocksPerSec;
  if (typeof blocksPerSec !== "number" || !(blocksPerSec > 0) || blocksPerSec > 100_000) {
    fail("blocksPerSec", "a number > 0", blocksPerSec);
  }
  const allowed = spec.allowedActions ?? [...PROXY_DEFAULT_ALLOWED];
  if (!Array.isArray(allowed) || allowed.some((a) => typeof a !== "string")) {
    fail("allowedActions", "a list of action names", allowed);
  }
  const ports: Partial<SimNanoPorts> = {};
  for (const name of PORT_NAMES) {
    const port = spec.ports?.[name];
    if (port !== undefined) ports[name] = whole(`ports.${name}`, port, 0);
  }
  let fault: NanoFaultSpec = { fault: "healthy" };
  if (spec.fault !== undefined) {
    try {
      fault = parseNanoFault(spec.fault);
    } catch (error) {
      if (error instanceof FaultSpecError) throw new Error(`${where}: fault.${error.message}`);
      throw error;
    }
  }
  return {
    id: spec.id,
    network,
    nodeVersion,
    startCemented: whole("startCemented", spec.startCemented ?? NANO_DEFAULTS.startCemented, 0),
    blocksPerSec,
    peers: whole("peers", spec.peers ?? NANO_DEFAULTS.peers, 0),
    cacheSec: whole("cacheSec", spec.cacheSec ?? NANO_DEFAULTS.cacheSec, 0),
    onlineCacheSec: whole("onlineCacheSec", spec.onlineCacheSec ?? NANO_DEFAULTS.onlineCacheSec, 0),
    ...(spec.representative === undefined
      ? {}
      : {
          representative: {
            account: /^nano_[13][13456789abcdefghijkmnopqrstuwxyz]{59}$/.test(spec.representative.account)
              ? spec.representative.account
              : fail("representative.account", "a nano_ account", spec.representative.account),
            weightNano: whole("representative.weightNano", spec.representative.weightNano, 0),
            online: spec.representative.online !== false,
          },
        }),
    allowedActions: [...allowed],
    ports,
    fault,
  };
}
