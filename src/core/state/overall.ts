import { isRanked, RANK, type Reason, type State, type Verdict } from "../verdict.ts";
import type { VantageState } from "./vantage.ts";

/** Default k of n: a strict majority of the configured vantages must agree a node is down. */
export function defaultQuorum(vantageCount: number): number {
  return Math.floor(vantageCount / 2) + 1;
}

/**
 * One reason per kind: vantages usually agree on what is wrong but word it with their own
 * numbers ("last block is 631 s old" / "… 621 s old"); the freshest vantage's wording wins.
 */
function uniqueReasons(list: Reason[]): Reason[] {
  const byCode = new Map<string, Reason>();
  for (const r of list) if (!byCode.has(r.code)) byCode.set(r.code, r);
  return [...byCode.values()];
}

/**
 * The monitor's overall verdict from its vantages. `down` needs `quorum` vantages to agree;
 * a failure seen from fewer places is reported but does not make the node down.
 */
export function combineVantages(vantages: Record<string, VantageState>, quorum: number): Verdict {
  const entries = Object.entries(vantages).sort(([, a], [, b]) => b.checkedAt - a.checkedAt);
  const known = entries.filter(([, v]) => v.state !== "unknown");
  if (known.length === 0) {
    const reasons = uniqueReasons(entries.flatMap(([, v]) => v.reasons));
    return {
      state: "unknown",
      reasons: reasons.length ? reasons : [{ code: "no_data", severity: "info", message: "no results yet" }],
    };
  }
  if (known.every(([, v]) => v.state === "maintenance")) {
    return { state: "maintenance", reasons: uniqueReasons(known.flatMap(([, v]) => v.reasons)) };
  }

  const down = known.filter(([, v]) => v.state === "down");
  if (down.length >= quorum) {
    return { state: "down", reasons: uniqueReasons(down.flatMap(([, v]) => v.reasons)) };
  }

  const others = known.filter(([, v]) => v.state !== "down" && isRanked(v.state));
  const unconfirmed: Reason[] = down.length
    ? [
        {
          code: "unconfirmed_down",
          severity: "info",
          message: `down from ${down
            .map(([r]) => r)
            .sort()
            .join(", ")} only (${down.length} of ${entries.length} vantages; ${quorum} needed)`,
        },
      ]
    : [];
  if (others.length === 0) {
    return {
      state: "unknown",
      reasons: [...unconfirmed, ...uniqueReasons(down.flatMap(([, v]) => v.reasons))],
    };
  }
  let worst: State = "up";
  for (const [, v] of others) if (RANK[v.state as "up"] > RANK[worst as "up"]) worst = v.state;
  const reasons = uniqueReasons(others.filter(([, v]) => v.state === worst).flatMap(([, v]) => v.reasons));
  return { state: worst, reasons: [...reasons, ...unconfirmed] };
}
