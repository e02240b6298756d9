import type { CheckerHealth } from "../../core/checker-health.ts";
import type { MaintenanceWindow } from "../../core/config/maintenance.ts";
import type { Transition } from "../../core/uptime.ts";
import type { MonitorView } from "../state/shard-report.ts";

/** The public snapshot kept in KV: current views plus the transitions uptime is computed from. */
export interface Snapshot {
  generatedAt: number;
  monitors: MonitorView[];
  timelines: Record<string, Transition[]>;
  /** Whether the checker itself works (scheduler, watchdog); absent in snapshots before it was known. */
  monitoring?: CheckerHealth;
  /** Windows added through the admin API. */
  maintenance?: MaintenanceWindow[];
}

export const SNAPSHOT_KEY = "status:v1";
/** The status page's bars reach back 90 days; the timeline keeps the state in force at that start too. */
export const TIMELINE_WINDOW_MS = 90 * 86_400_000;
