import type { AlertEvent } from "./alerts/event.ts";

/** Is the checker itself working? Problems are short texts such as "prober weur:0 silent for 5 min". */
export interface CheckerHealth {
  state: "ok" | "degraded";
  since: number;
  problems: string[];
}

/** Cron has been seen to stop for hours elsewhere; five missed minutes is already news. */
export const WATCHDOG_SILENT_MS = 5 * 60_000;

export function proberSilentAfterMs(minIntervalSec: number): number {
  return Math.max(3 * minIntervalSec * 1000, 180_000);
}

/** An agent that missed three heartbeats is silent: monitoring through it is degraded. */
export function agentSilentAfterMs(heartbeatSec: number): number {
  return 3 * heartbeatSec * 1000;
}

/** The next health from the current problems; an alert when it flips. Pure. */
export function nextHealth(
  prev: CheckerHealth | undefined,
  problems: string[],
  now: number,
): { health: CheckerHealth; alert?: AlertEvent } {
  const state = problems.length ? "degraded" : "ok";
  const previous = prev ?? { state: "ok", since: now, problems: [] };
  if (previous.state === state) return { health: { ...previous, problems } };
  const health: CheckerHealth = { state, since: now, problems };
  const at = new Date(now).toISOString();
  const alert: AlertEvent =
    state === "degraded"
      ? {
          id: `checker:degraded:${now}`,
          kind: "monitoring_degraded",
          severity: "warning",
          at,
          title: "Monitoring degraded: the checker itself has a problem; node states may be stale",
          reasons: problems.slice(0, 20),
        }
      : {
          id: `checker:recovered:${previous.since}`,
          kind: "monitoring_recovered",
          severity: "info",
          at,
          title: "Monitoring recovered",
          reasons: [],
          durationSec: Math.round((now - previous.since) / 1000),
        };
  return { health, alert };
}
