import type { AlertEvent } from "../../core/alerts/event.ts";
import { type CheckerHealth, nextHealth, WATCHDOG_SILENT_MS } from "../../core/checker-health.ts";

/** What the cron watchdog found on its last run. */
export interface WatchdogFindings {
  at: number;
  /** Probers and agents that have gone quiet or fallen behind their schedule, each as a sentence saying how. */
  silent: string[];
}

interface CheckerRecord {
  health?: CheckerHealth;
  watchdog?: WatchdogFindings;
  firstReportAt?: number;
}

/**
 * The checker's own health. Probers report through the state objects; the cron reports directly.
 * Each side going quiet is noticed by the other: a silent prober by the cron, a silent cron by the
 * probers' reports.
 */
export class CheckerWatch {
  private record: CheckerRecord;

  private readonly kv: SyncKvStorage;

  constructor(kv: SyncKvStorage) {
    this.kv = kv;
    this.record = kv.get<CheckerRecord>("checker") ?? {};
  }

  get health(): CheckerHealth | undefined {
    return this.record.health;
  }

  /** A state object reported: the probers are alive. */
  reportSeen(now: number): void {
    if (this.record.firstReportAt === undefined) this.save({ ...this.record, firstReportAt: now });
  }

  watchdogRan(findings: WatchdogFindings): void {
    this.save({ ...this.record, watchdog: findings });
  }

  /** Re-judges the checker's health; the alert to send when it changed in a way worth telling. */
  check(now: number): AlertEvent | undefined {
    const problems = [...(this.record.watchdog?.silent ?? [])];
    const lastCron = this.record.watchdog?.at ?? this.record.firstReportAt;
    if (lastCron !== undefined && now - lastCron > WATCHDOG_SILENT_MS) {
      problems.push(`the cron watchdog has not run for ${Math.round((now - lastCron) / 60_000)} min`);
    }
    const { health, alert } = nextHealth(this.record.health, problems, now);
    if (JSON.stringify(health) !== JSON.stringify(this.record.health)) this.save({ ...this.record, health });
    return alert;
  }

  private save(record: CheckerRecord): void {
    this.record = record;
    this.kv.put("checker", record);
  }
}
