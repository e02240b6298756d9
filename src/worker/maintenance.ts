import type { MaintenanceWindow } from "../core/config/maintenance.ts";
import type { Config, Monitor } from "../core/config/schema.ts";
import { activeWindows } from "../core/maintenance/windows.ts";

/** The planned maintenance window covering this monitor now (config and admin windows), if any. */
export function activeMaintenance(
  config: Config,
  extra: readonly MaintenanceWindow[],
  monitor: Monitor,
  now: number,
): MaintenanceWindow | undefined {
  const ref = { id: monitor.id, tags: monitor.tags as Record<string, string> };
  return activeWindows(config.maintenance, ref, now)[0] ?? activeWindows(extra, ref, now)[0];
}
