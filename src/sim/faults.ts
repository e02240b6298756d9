import { FAULTS, type FaultName, type FaultSpec } from "./types.ts";

export const FAULT_DEFAULTS = {
  lagBlocks: 20,
  delayMs: 3000,
  hugeBytes: 16 * 1024 * 1024,
} as const;

export const HEALTHY: FaultSpec = { fault: "healthy" };

/** A fault body the control API must refuse; the message names the offending field. */
export class FaultSpecError extends Error {
  override readonly name = "FaultSpecError";
}

const KNOWN_FIELDS = new Set(["fault", "lagBlocks", "delayMs", "hugeBytes", "userAgentContains"]);

/** Validates a fault from the control API or a layout file, so typos fail loudly instead of silently meaning "healthy". */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new FaultSpecError('body: expected a JSON object like {"fault":"stalled"}');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KNOWN_FIELDS.has(key)) throw new FaultSpecError(`${key}: unknown field`);
  }
  const fault = record.fault;
  if (typeof fault !== "string" || !(FAULTS as readonly string[]).includes(fault)) {
    throw new FaultSpecError(`fault: expected one of ${FAULTS.join(", ")}, got ${JSON.stringify(fault)}`);
  }
  const spec: FaultSpec = { fault: fault as FaultName };
  const lagBlocks = wholeNumber(record, "lagBlocks", 0);
  const delayMs = wholeNumber(record, "delayMs", 0);
  const hugeBytes = wholeNumber(record, "hugeBytes", 1);
  if (lagBlocks !== undefined) spec.lagBlocks = lagBlocks;
  if (delayMs !== undefined) spec.delayMs = delayMs;
  if (hugeBytes !== undefined) spec.hugeBytes = hugeBytes;
  const userAgentContains = record.userAgentContains;
  if (userAgentContains !== undefined) {
    if (typeof userAgentContains !== "string" || userAgentContains === "") {
      throw new FaultSpecError("userAgentContains: expected a non-empty string");
    }
    spec.userAgentContains = userAgentContains;
  }
  return spec;
}

function wholeNumber(record: Record<string, unknown>, field: string, min: number): number | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new FaultSpecError(`${field}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The fault a request with this User-Agent sees: per-vantage faults leave everyone else healthy. */
export function effectiveFault(spec: FaultSpec, userAgent: string | undefined): FaultSpec {
  if (spec.userAgentContains === undefined) return spec;
  return userAgent?.includes(spec.userAgentContains) ? spec : HEALTHY;
}

/** Faults that take the listeners down; a per-User-Agent one can only reset those requests instead. */
export function closesListeners(spec: FaultSpec): boolean {
  return spec.fault === "refusing" && spec.userAgentContains === undefined;
}

/** Faults that only mean something on a node that runs an event sidecar. */
export const SIDECAR_FAULTS: ReadonlySet<FaultName> = new Set<FaultName>([
  "sidecar-down",
  "sidecar-disconnected",
]);

/** Node faults that leave its sidecar without the node: it reconnects (node_statuses 3) until they heal. */
export function cutsSidecarLink(fault: FaultSpec): boolean {
  return fault.fault === "refusing" || fault.fault === "hung";
}

/** A node-wide `sidecar-down` closes the sidecar's ports; a per-vantage one resets those requests. */
export function closesSidecarListeners(spec: FaultSpec): boolean {
  return spec.fault === "sidecar-down" && spec.userAgentContains === undefined;
}

export function lagBlocksOf(spec: FaultSpec): number {
  return spec.lagBlocks ?? FAULT_DEFAULTS.lagBlocks;
}

export function delayMsOf(spec: FaultSpec): number {
  return spec.delayMs ?? FAULT_DEFAULTS.delayMs;
}

export function hugeBytesOf(spec: FaultSpec): number {
  return spec.hugeBytes ?? FAULT_DEFAULTS.hugeBytes;
}
