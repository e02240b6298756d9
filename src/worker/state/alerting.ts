import {
  type AlertMemory,
  type AlertSettings,
  decideAlerts,
  decideTimedAlerts,
  emptyAlertMemory,
} from "../../core/alerts/decide.ts";
import type { AlertEvent } from "../../core/alerts/event.ts";
import type { Monitor } from "../../core/config/schema.ts";
import type { ChainFacts } from "../../core/result.ts";
import type { Incident } from "../../core/state/incident.ts";
import type { MonitorMemory, Step } from "../../core/state/monitor.ts";

const vantagesOf = (m: MonitorMemory) =>
  Object.entries(m.vantages)
    .map(([region, v]) => ({ region, state: v.state }))
    .sort((a, b) => a.region.localeCompare(b.region));

/**
 * The state object's alert side: remembers per monitor what the alert rules need (flapping
 * window, notices sent, last reminder) and collects the alerts steps produce until they are
 * handed to the outbox. Replayed steps rebuild the memory but alert nobody twice.
 */
export class MonitorAlerting {
  private memory = new Map<string, AlertMemory>();
  private pending: AlertEvent[] = [];

  onStep(
    monitor: Monitor,
    step: Step,
    incidentChange: Incident | undefined,
    settings: AlertSettings,
    inMaintenance: boolean,
    replaying: boolean,
    now: number,
    facts?: ChainFacts,
  ): void {
    const r = decideAlerts(
      this.memory.get(monitor.id) ?? emptyAlertMemory(),
      settings,
      {
        monitor,
        overall: step.memory.overall,
        changedFrom: step.changedFrom,
        incidentChange,
        instantReasons: step.instant.reasons,
        cert: facts?.cert,
        vantages: vantagesOf(step.memory),
        now,
      },
      inMaintenance,
    );
    this.memory.set(monitor.id, r.memory);
    if (!replaying) this.pending.push(...r.events);
  }

  onSweep(
    monitor: Monitor,
    memory: MonitorMemory | undefined,
    open: Incident | undefined,
    settings: AlertSettings,
    inMaintenance: boolean,
    now: number,
  ): void {
    const mem = this.memory.get(monitor.id);
    if (!memory || !mem || (!open && mem.flappingSince === undefined)) return;
    const r = decideTimedAlerts(
      mem,
      settings,
      { monitor, overall: memory.overall, vantages: vantagesOf(memory), now },
      open,
      inMaintenance,
    );
    this.memory.set(monitor.id, r.memory);
    this.pending.push(...r.events);
  }

  /** Alerts not yet accepted by the outbox. */
  peek(): AlertEvent[] {
    return this.pending;
  }

  /** Forget the first n, which the outbox has accepted. */
  accepted(n: number): void {
    this.pending = this.pending.slice(n);
  }

  toJSON(): [string, AlertMemory][] {
    return [...this.memory];
  }

  restore(entries: [string, AlertMemory][] | undefined): void {
    for (const [id, m] of entries ?? []) this.memory.set(id, m);
  }
}
