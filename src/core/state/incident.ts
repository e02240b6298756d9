import type { State } from "../verdict.ts";
import type { OverallState } from "./monitor.ts";

export interface Incident {
  id: string;
  monitorId: string;
  /** Worst state reached while open. */
  state: "down" | "degraded";
  openedAt: number;
  closedAt?: number;
  reasons: string[];
}

export interface IncidentStep {
  /** The incident as it now stands (opened, escalated or closed); absent when nothing happened. */
  changed?: Incident;
  open?: Incident;
}

const isBad = (s: State): s is "down" | "degraded" => s === "down" || s === "degraded";

/**
 * Incident lifecycle from overall state changes: opens on down/degraded, escalates to down,
 * closes only on `up`. Unknown and maintenance keep an open incident open: our blind spot or
 * a planned window says nothing about whether the node recovered.
 */
export function incidentStep(
  open: Incident | undefined,
  monitorId: string,
  overall: Pick<OverallState, "state" | "since" | "reasons">,
): IncidentStep {
  const reasons = overall.reasons.filter((r) => r.severity !== "info").map((r) => r.message);
  if (!open) {
    if (!isBad(overall.state)) return {};
    const opened: Incident = {
      id: `${monitorId}@${overall.since}`,
      monitorId,
      state: overall.state,
      openedAt: overall.since,
      reasons,
    };
    return { changed: opened, open: opened };
  }
  if (overall.state === "up") {
    const closed = { ...open, closedAt: overall.since };
    return { changed: closed };
  }
  if (overall.state === "down" && open.state === "degraded") {
    const escalated: Incident = { ...open, state: "down", reasons };
    return { changed: escalated, open: escalated };
  }
  return { open };
}
