import type { Monitor } from "../../core/config/schema.ts";
import type { Step } from "../../core/state/monitor.ts";

/** A monitor to re-probe at once because one vantage saw it fail for the first time. */
export interface ConfirmRequest {
  monitorId: string;
  /** The vantage that saw the failure (a region, or `agent:<id>`). */
  from: string;
}

/**
 * Decides when a first failure from one vantage should be confirmed from elsewhere: at most once
 * per monitor per half interval (and per minute on long intervals), so a fleet-wide outage cannot
 * fan out without bound. The caller that delivered the result (a prober or an agent's object)
 * carries the request out, so the state object itself never calls a prober.
 */
export class Confirmations {
  private readonly lastAsked = new Map<string, number>();

  consider(monitor: Monitor, vantage: string, step: Step, now: number): ConfirmRequest | undefined {
    const v = step.memory.vantages[vantage];
    if (v?.instant !== "down" || v.state === "down" || (v.streak?.count ?? 0) !== 1) return undefined;
    if (now - (this.lastAsked.get(monitor.id) ?? 0) < Math.min((monitor.intervalSec * 1000) / 2, 60_000)) {
      return undefined;
    }
    if (monitor.regions.length === 0) return undefined;
    this.lastAsked.set(monitor.id, now);
    return { monitorId: monitor.id, from: vantage };
  }
}
