import { FaultSpecError } from "../faults.ts";

/** How an optional fault field is checked. */
export type FieldRule = "whole>=0" | "whole>=1" | "text";

/**
 * Validates a member's fault body (control API or layout) against its own fault list and fields;
 * errors name the field, like the Casper faults (`fault: expected one of …`, `lagBlocks: …`).
 */
export function parseMemberFault<F extends string>(
  body: unknown,
  faults: readonly F[],
  fields: Record<string, FieldRule>,
): { fault: F } & Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new FaultSpecError('body: expected a JSON object like {"fault":"hung"}');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== "fault" && !(key in fields)) throw new FaultSpecError(`${key}: unknown field`);
  }
  const fault = record.fault;
  if (typeof fault !== "string" || !(faults as readonly string[]).includes(fault)) {
    throw new FaultSpecError(`fault: expected one of ${faults.join(", ")}, got ${JSON.stringify(fault)}`);
  }
  const out: { fault: F } & Record<string, unknown> = { fault: fault as F };
  for (const [field, rule] of Object.entries(fields)) {
    const value = record[field];
    if (value === undefined) continue;
    if (rule === "text") {
      if (typeof value !== "string" || value === "") {
        throw new FaultSpecError(`${field}: expected a non-empty string`);
      }
    } else {
      const min = rule === "whole>=1" ? 1 : 0;
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
        throw new FaultSpecError(`${field}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
      }
    }
    out[field] = value;
  }
  return out;
}
