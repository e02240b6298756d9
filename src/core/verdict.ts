import { z } from "zod";

/**
 * `unknown` is the checker's own blind spot (no data, our timeout budget, platform error) and
 * never counts as the node being down. `maintenance` is planned or self-declared (upgrading).
 */
export const StateSchema = z.enum(["up", "degraded", "down", "unknown", "maintenance"]);
export type State = z.infer<typeof StateSchema>;

export const SeveritySchema = z.enum(["info", "warn", "critical"]);
export type Severity = z.infer<typeof SeveritySchema>;

export const ReasonSchema = z.object({
  code: z.string().describe("Stable machine code, e.g. stalled, lagging, refused"),
  severity: SeveritySchema,
  message: z.string().describe("Human-readable, free of URLs and addresses"),
});
export type Reason = z.infer<typeof ReasonSchema>;

export interface Verdict {
  state: State;
  reasons: Reason[];
}

/** Badness order for up/degraded/down; unknown and maintenance sit outside it. */
export const RANK: Record<"up" | "degraded" | "down", number> = { up: 0, degraded: 1, down: 2 };

export function isRanked(s: State): s is "up" | "degraded" | "down" {
  return s === "up" || s === "degraded" || s === "down";
}
