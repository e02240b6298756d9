import type { CheckerHealth } from "../../core/checker-health.ts";
import type { MaintenanceWindow } from "../../core/config/maintenance.ts";
import type { Incident } from "../../core/state/incident.ts";
import type { Transition } from "../../core/uptime.ts";
import type { LatencySeries } from "../state/latency-series.ts";
import type { MonitorView } from "../state/shard-report.ts";
import type { IncidentNote } from "./incident-book.ts";

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

/**
 * What only the status page needs beside the snapshot, kept apart so the JSON API, badges and
 * /metrics never fetch or parse it: the latency charts and the recent incidents with their notes.
 */
export interface PageExtras {
  generatedAt: number;
  latency: Record<string, LatencySeries>;
  incidents: (Incident & { notes: IncidentNote[] })[];
}

export const PAGE_EXTRAS_KEY = "page:v1";
/**
 * The version of the public artefacts (the snapshot's generatedAt), a few bytes: a reader checks it
 * before fetching anything else, and an ETag equal to it answers 304 at once.
 */
export const PUBLIC_VERSION_KEY = "public:version";
