import { z } from "zod";
import { firstOccurrenceWall, parseRRule, RRuleError } from "../maintenance/rrule.ts";
import { isValidTimeZone, parseLocalDateTime, parseRfc3339, wallToUtc } from "../maintenance/tz.ts";

const WindowId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, '-' and '_'");

const HORIZON_MS = 10 * 366 * 86_400_000;

/**
 * A maintenance window from config or the admin API. Two forms, told apart by `rrule`:
 *
 *   one-off:   { id, start, end }                      RFC 3339 instants with offset
 *   recurring: { id, rrule, start, durationMin, tz }   `start` is DTSTART, a local date-time in
 *                                                      `tz` (IANA); each occurrence lasts
 *                                                      durationMin of elapsed time
 *
 * Scope: `monitors` (ids) and/or `tags` (all must match); both given, a monitor must match both;
 * neither, the window covers every monitor. During a window alerts are suppressed and the time
 * is excluded from SLA.
 */
export const MaintenanceWindowSchema = z
  .strictObject({
    id: WindowId,
    title: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("Shown on the status API, e.g. 'Casper 2.1 upgrade'"),
    start: z
      .string()
      .describe(
        "One-off: RFC 3339 with offset (2026-05-01T02:00:00Z). Recurring: DTSTART as a local date-time in tz (2026-05-01T02:00)",
      ),
    end: z.string().optional().describe("One-off only: RFC 3339 with offset, after start"),
    rrule: z
      .string()
      .max(500)
      .superRefine((text, ctx) => {
        try {
          parseRRule(text);
        } catch (error) {
          if (!(error instanceof RRuleError)) throw error;
          ctx.addIssue({ code: "custom", message: `invalid rule: ${error.message}` });
        }
      })
      .optional()
      .describe(
        "Recurring only: RFC 5545 RRULE subset (FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, BYHOUR, BYMINUTE, COUNT, UNTIL, WKST)",
      ),
    durationMin: z
      .number()
      .int()
      .min(1)
      .max(44_640)
      .optional()
      .describe("Recurring only: length of each occurrence"),
    tz: z
      .string()
      .refine(isValidTimeZone, { message: "an IANA time zone such as Europe/Berlin or UTC" })
      .optional()
      .describe("Recurring only: IANA time zone of start, BYHOUR and UNTIL without Z"),
    monitors: z.array(z.string().min(1).max(63)).min(1).optional().describe("Only these monitor ids"),
    tags: z.record(z.string(), z.string()).optional().describe("Only monitors whose tags all match"),
  })
  .superRefine((w, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (w.rrule === undefined) {
      const start = parseRfc3339(w.start);
      if (start === undefined) issue("start", "an RFC 3339 date-time with offset, e.g. 2026-05-01T02:00:00Z");
      for (const key of ["durationMin", "tz"] as const) {
        if (w[key] !== undefined) issue(key, "only for recurring windows (with rrule)");
      }
      if (w.end === undefined) {
        issue("end", "required for a one-off window (or give rrule, durationMin and tz for a recurring one)");
        return;
      }
      const end = parseRfc3339(w.end);
      if (end === undefined) issue("end", "an RFC 3339 date-time with offset, e.g. 2026-05-01T04:00:00Z");
      else if (start !== undefined && end <= start) issue("end", "must be after start");
      return;
    }
    if (w.end !== undefined) issue("end", "only for one-off windows; a recurring window has durationMin");
    if (w.durationMin === undefined) issue("durationMin", "required with rrule");
    if (w.tz === undefined)
      issue("tz", "required with rrule: an IANA time zone such as Europe/Berlin or UTC");
    const start = parseLocalDateTime(w.start);
    if (start === undefined) {
      issue("start", "a local date-time without offset, e.g. 2026-05-01T02:00 (read in tz)");
      return;
    }
    if (w.tz === undefined || !isValidTimeZone(w.tz)) return;
    let rule: ReturnType<typeof parseRRule>;
    try {
      rule = parseRRule(w.rrule);
    } catch {
      return; // reported on the field
    }
    const tz = w.tz;
    if (firstOccurrenceWall(rule, start, HORIZON_MS, (wall) => wallToUtc(tz, wall)) === undefined) {
      issue("rrule", "the rule produces no occurrence (check UNTIL against start, and BYDAY/BYMONTHDAY)");
    }
  });

export type MaintenanceWindow = z.infer<typeof MaintenanceWindowSchema>;

export const MaintenanceWindowsSchema = z
  .array(MaintenanceWindowSchema)
  .max(1000)
  .superRefine((windows, ctx) => {
    const seen = new Set<string>();
    windows.forEach((w, i) => {
      if (seen.has(w.id))
        ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate window id '${w.id}'` });
      seen.add(w.id);
    });
  });
