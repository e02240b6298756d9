export type { MaintenanceWindow } from "../config/maintenance.ts";
export { MaintenanceWindowSchema, MaintenanceWindowsSchema } from "../config/maintenance.ts";
export { type ByDay, type Freq, parseRRule, type RRule, RRuleError } from "./rrule.ts";
export { isValidTimeZone, offsetAt, utcToWall, wallToUtc } from "./tz.ts";
export {
  activeWindows,
  inScope,
  type MonitorRef,
  maintenanceIntervals,
  occurrencesBetween,
  type WindowOccurrence,
  windowsBetween,
} from "./windows.ts";
