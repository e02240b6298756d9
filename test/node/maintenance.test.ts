import { describe, expect, it } from "vitest";
import { z } from "zod";
import { issuesFromZod } from "../../src/core/config/load.ts";
import {
  type MaintenanceWindow,
  MaintenanceWindowSchema,
  MaintenanceWindowsSchema,
} from "../../src/core/config/maintenance.ts";
import {
  activeWindows,
  inScope,
  maintenanceIntervals,
  occurrencesBetween,
  offsetAt,
  parseRRule,
  RRuleError,
  utcToWall,
  wallToUtc,
  windowsBetween,
} from "../../src/core/maintenance/index.ts";
import { parseLocalDateTime, parseRfc3339 } from "../../src/core/maintenance/tz.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const wall = (s: string) => parseLocalDateTime(s) as number;

function win(input: Record<string, unknown>): MaintenanceWindow {
  return MaintenanceWindowSchema.parse({ id: "w", ...input });
}

/** Recurring window helper: rule, DTSTART (local), zone, minutes. */
const rec = (
  rrule: string,
  start: string,
  tz = "UTC",
  durationMin = 30,
  extra: Record<string, unknown> = {},
) => win({ rrule, start, tz, durationMin, ...extra });

/** Occurrence starts as local "YYYY-MM-DDTHH:MM" in the window's zone. */
function localStarts(w: MaintenanceWindow, from: string, to: string): string[] {
  return occurrencesBetween(w, ms(from), ms(to)).map((o) =>
    iso(utcToWall(w.tz ?? "UTC", o.start)).slice(0, 16),
  );
}

/** Issues as "path: message" for a window nested in a config-like object. */
function issues(input: unknown): string[] {
  const r = z.object({ maintenance: MaintenanceWindowsSchema }).safeParse({ maintenance: [input] });
  return r.success ? [] : issuesFromZod(r.error).map((i) => `${i.path}: ${i.message}`);
}

describe("time zones", () => {
  it("offsets and wall times via Intl", () => {
    expect(offsetAt("UTC", ms("2026-06-01T00:00:00Z"))).toBe(0);
    expect(offsetAt("Europe/Berlin", ms("2026-01-15T12:00:00Z"))).toBe(HOUR);
    expect(offsetAt("Europe/Berlin", ms("2026-07-15T12:00:00Z"))).toBe(2 * HOUR);
    expect(offsetAt("Asia/Kolkata", ms("2026-07-15T12:00:00Z"))).toBe(5.5 * HOUR);
    expect(offsetAt("America/New_York", ms("2026-01-15T12:00:00Z"))).toBe(-5 * HOUR);
    expect(offsetAt("Pacific/Kiritimati", ms("2026-01-15T12:00:00Z"))).toBe(14 * HOUR);
    expect(iso(utcToWall("Asia/Kolkata", ms("2026-07-15T12:00:00.250Z")))).toBe("2026-07-15T17:30:00.250Z");
  });

  it("wall → instant: normal, skipped (spring forward) and repeated (fall back) times, RFC 5545", () => {
    expect(iso(wallToUtc("Europe/Berlin", wall("2026-03-28T02:00")))).toBe("2026-03-28T01:00:00.000Z");
    // 02:00-03:00 does not exist on 2026-03-29: read with the offset before the gap → 03:00 CEST
    expect(iso(wallToUtc("Europe/Berlin", wall("2026-03-29T02:00")))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(wallToUtc("Europe/Berlin", wall("2026-03-29T02:30")))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(wallToUtc("Europe/Berlin", wall("2026-03-29T03:00")))).toBe("2026-03-29T01:00:00.000Z");
    // 02:00-03:00 happens twice on 2026-10-25: the first (CEST) is meant
    expect(iso(wallToUtc("Europe/Berlin", wall("2026-10-25T02:30")))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(wallToUtc("Europe/Berlin", wall("2026-10-25T03:00")))).toBe("2026-10-25T02:00:00.000Z");
    // New York: 01:00-02:00 twice on 2026-11-01, 02:00-03:00 missing on 2026-03-08
    expect(iso(wallToUtc("America/New_York", wall("2026-11-01T01:30")))).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(wallToUtc("America/New_York", wall("2026-03-08T02:30")))).toBe("2026-03-08T07:30:00.000Z");
    expect(iso(wallToUtc("Asia/Kolkata", wall("2026-07-15T17:30")))).toBe("2026-07-15T12:00:00.000Z");
    expect(iso(wallToUtc("Pacific/Kiritimati", wall("2026-01-01T00:30")))).toBe("2025-12-31T10:30:00.000Z");
  });

  it("round-trips every hour of a DST year outside the gaps", () => {
    for (const tz of ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]) {
      for (let t = ms("2026-01-01T00:00:00Z"); t < ms("2027-01-01T00:00:00Z"); t += HOUR) {
        const w = utcToWall(tz, t);
        const back = wallToUtc(tz, w);
        // a repeated wall time maps to its first instant; otherwise exactly back
        expect(back === t || (back < t && utcToWall(tz, back) === w)).toBe(true);
      }
    }
  });

  it("parses RFC 3339 and local date-times strictly", () => {
    expect(parseRfc3339("2026-05-01T02:00:00Z")).toBe(ms("2026-05-01T02:00:00Z"));
    expect(parseRfc3339("2026-05-01T04:00:00+02:00")).toBe(ms("2026-05-01T02:00:00Z"));
    expect(parseRfc3339("2026-05-01T02:00:00.5-01:30")).toBe(ms("2026-05-01T03:30:00.500Z"));
    for (const bad of [
      "2026-05-01T02:00:00",
      "2026-05-01T02:00Z",
      "2026-02-30T00:00:00Z",
      "2026-05-01",
      "x",
    ]) {
      expect(parseRfc3339(bad)).toBeUndefined();
    }
    expect(parseLocalDateTime("2026-05-01T02:00")).toBe(ms("2026-05-01T02:00:00Z"));
    expect(parseLocalDateTime("2026-05-01T02:00:30")).toBe(ms("2026-05-01T02:00:30Z"));
    for (const bad of ["2026-05-01T02:00Z", "2026-05-01T24:00", "2026-13-01T00:00", "2026-04-31T00:00"]) {
      expect(parseLocalDateTime(bad)).toBeUndefined();
    }
  });
});

describe("config schema", () => {
  it("accepts one-off and recurring windows with scopes", () => {
    expect(
      MaintenanceWindowsSchema.parse([
        {
          id: "upgrade",
          title: "Casper 2.1",
          start: "2026-05-01T02:00:00Z",
          end: "2026-05-01T04:00:00+00:00",
        },
        {
          id: "nightly",
          rrule: "FREQ=WEEKLY;BYDAY=SA;BYHOUR=2",
          start: "2026-01-03T02:00",
          durationMin: 60,
          tz: "Europe/Berlin",
          monitors: ["casper-a"],
          tags: { operator: "acme" },
        },
      ]),
    ).toHaveLength(2);
    expect(rec("RRULE:freq=daily", "2026-01-01T00:00").rrule).toBe("RRULE:freq=daily");
  });

  it("an invalid rrule is an issue on rrule that says what is wrong", () => {
    const base = { id: "w", start: "2026-01-01T02:00", durationMin: 60, tz: "UTC" };
    const cases: [string, RegExp][] = [
      ["FREQ=YEARLY", /FREQ: 'YEARLY' is not supported/],
      ["FREQ=HOURLY", /FREQ: 'HOURLY' is not supported/],
      ["BYDAY=MO", /FREQ: missing/],
      ["FREQ=DAILY;BYDAY=XX", /BYDAY: 'XX' is not one of/],
      ["FREQ=WEEKLY;BYDAY=1MO", /BYDAY: '1MO': an ordinal needs FREQ=MONTHLY/],
      ["FREQ=MONTHLY;BYDAY=6MO", /ordinal must be 1..5/],
      ["FREQ=MONTHLY;BYDAY=0MO", /ordinal must be 1..5/],
      ["FREQ=DAILY;COUNT=3;UNTIL=20270101", /COUNT and UNTIL/],
      ["FREQ=DAILY;INTERVAL=0", /INTERVAL: 0 is out of range/],
      ["FREQ=DAILY;BYHOUR=24", /BYHOUR: 24 is out of range/],
      ["FREQ=DAILY;BYMINUTE=60", /BYMINUTE: 60 is out of range/],
      ["FREQ=MONTHLY;BYMONTHDAY=0", /BYMONTHDAY: 0 is out of range/],
      ["FREQ=MONTHLY;BYMONTHDAY=32", /BYMONTHDAY: 32 is out of range/],
      ["FREQ=WEEKLY;BYMONTHDAY=1", /BYMONTHDAY: not allowed with FREQ=WEEKLY/],
      ["FREQ=DAILY;BYSETPOS=1", /BYSETPOS: not supported/],
      ["FREQ=DAILY;FREQ=WEEKLY", /FREQ: given twice/],
      ["FREQ=DAILY;DTSTART=20260101T000000Z", /DTSTART: give it as the window's start/],
      ["FREQ=DAILY;UNTIL=2026-01-01", /UNTIL: '2026-01-01' is not YYYYMMDD/],
      ["FREQ=DAILY;UNTIL=20260230", /UNTIL: '20260230' is not a valid date-time/],
      ["FREQ=DAILY;COUNT=0", /COUNT: must be 1/],
      ["FREQ=DAILY;;", /is not KEY=VALUE/],
      ["", /empty rule/],
    ];
    for (const [rrule, message] of cases) {
      const got = issues({ ...base, rrule });
      expect(got, rrule).toHaveLength(1);
      expect(got[0], rrule).toMatch(/^maintenance\[0\]\.rrule: invalid rule: /);
      expect(got[0], rrule).toMatch(message);
    }
    expect(() => parseRRule("FREQ=SECONDLY")).toThrow(RRuleError);
  });

  it("a rule that can never occur is an issue on rrule", () => {
    const base = { id: "w", durationMin: 60, tz: "UTC" };
    expect(issues({ ...base, rrule: "FREQ=DAILY;UNTIL=20251231", start: "2026-01-01T02:00" })).toEqual([
      "maintenance[0].rrule: the rule produces no occurrence (check UNTIL against start, and BYDAY/BYMONTHDAY)",
    ]);
    // only ever February, which has no 30th
    expect(
      issues({ ...base, rrule: "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30", start: "2026-02-01T00:00" }),
    ).toHaveLength(1);
  });

  it("an invalid time zone is an issue on tz", () => {
    const base = { id: "w", rrule: "FREQ=DAILY", start: "2026-01-01T02:00", durationMin: 60 };
    for (const tz of ["Mars/Olympus_Mons", "+02:00", "CEST+1", "", "Europe/"]) {
      expect(issues({ ...base, tz }), tz).toEqual([
        "maintenance[0].tz: an IANA time zone such as Europe/Berlin or UTC",
      ]);
    }
    expect(issues({ ...base, tz: "Etc/GMT+5" })).toEqual([]);
    expect(issues({ ...base, tz: "America/Argentina/Buenos_Aires" })).toEqual([]);
    expect(issues(base)).toEqual([
      "maintenance[0].tz: required with rrule: an IANA time zone such as Europe/Berlin or UTC",
    ]);
  });

  it("names the field for every other mistake", () => {
    expect(issues({ id: "w", start: "2026-05-01T02:00:00Z" })).toEqual([
      "maintenance[0].end: required for a one-off window (or give rrule, durationMin and tz for a recurring one)",
    ]);
    expect(issues({ id: "w", start: "2026-05-01T02:00", end: "2026-05-01T03:00:00Z" })).toEqual([
      "maintenance[0].start: an RFC 3339 date-time with offset, e.g. 2026-05-01T02:00:00Z",
    ]);
    expect(issues({ id: "w", start: "2026-05-01T02:00:00Z", end: "2026-05-01T02:00:00Z" })).toEqual([
      "maintenance[0].end: must be after start",
    ]);
    expect(
      issues({ id: "w", start: "2026-05-01T02:00:00Z", end: "2026-05-01T03:00:00Z", tz: "UTC" }),
    ).toEqual(["maintenance[0].tz: only for recurring windows (with rrule)"]);
    expect(
      issues({ id: "w", rrule: "FREQ=DAILY", start: "2026-05-01T02:00:00Z", durationMin: 5, tz: "UTC" }),
    ).toEqual(["maintenance[0].start: a local date-time without offset, e.g. 2026-05-01T02:00 (read in tz)"]);
    expect(issues({ id: "w", rrule: "FREQ=DAILY", start: "2026-05-01T02:00", tz: "UTC" })).toEqual([
      "maintenance[0].durationMin: required with rrule",
    ]);
    expect(
      issues({
        id: "w",
        rrule: "FREQ=DAILY",
        start: "2026-05-01T02:00",
        tz: "UTC",
        durationMin: 5,
        end: "x",
      }),
    ).toEqual(["maintenance[0].end: only for one-off windows; a recurring window has durationMin"]);
    expect(
      issues({ id: "w", rrule: "FREQ=DAILY", start: "2026-05-01T02:00", tz: "UTC", durationMin: 0 })[0],
    ).toMatch(/^maintenance\[0\]\.durationMin: /);
    expect(issues({ id: "Bad Id", start: "2026-05-01T02:00:00Z", end: "2026-05-01T03:00:00Z" })[0]).toMatch(
      /^maintenance\[0\]\.id: /,
    );
    expect(
      issues({ id: "w", start: "2026-05-01T02:00:00Z", end: "2026-05-01T03:00:00Z", monitors: [] })[0],
    ).toMatch(/^maintenance\[0\]\.monitors: /);
    expect(
      issues({ id: "w", start: "2026-05-01T02:00:00Z", end: "2026-05-01T03:00:00Z", nope: 1 })[0],
    ).toMatch(/^maintenance\[0\]: .*nope/);
    const dup = MaintenanceWindowsSchema.safeParse([
      { id: "a", start: "2026-05-01T02:00:00Z", end: "2026-05-01T03:00:00Z" },
      { id: "a", start: "2026-05-02T02:00:00Z", end: "2026-05-02T03:00:00Z" },
    ]);
    expect(dup.success ? [] : issuesFromZod(dup.error)).toEqual([
      { path: "[1].id", message: "duplicate window id 'a'" },
    ]);
  });
});

describe("RRULE expansion (RFC 5545 examples, America/New_York, 09:00 local)", () => {
  const NY = "America/New_York";
  const days = (w: MaintenanceWindow, from: string, to: string) =>
    localStarts(w, from, to).map((s) => s.slice(0, 10));

  it("daily for 10 occurrences; every other day; every 10 days x5", () => {
    expect(
      days(
        rec("FREQ=DAILY;COUNT=10", "1997-09-02T09:00", NY),
        "1997-01-01T00:00:00Z",
        "1998-01-01T00:00:00Z",
      ),
    ).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((d) => `1997-09-${String(d).padStart(2, "0")}`));
    expect(
      days(
        rec("FREQ=DAILY;INTERVAL=2", "1997-09-02T09:00", NY),
        "1997-09-01T00:00:00Z",
        "1997-09-12T00:00:00Z",
      ),
    ).toEqual(["1997-09-02", "1997-09-04", "1997-09-06", "1997-09-08", "1997-09-10"]);
    expect(
      days(
        rec("FREQ=DAILY;INTERVAL=10;COUNT=5", "1997-09-02T09:00", NY),
        "1997-01-01T00:00:00Z",
        "1999-01-01T00:00:00Z",
      ),
    ).toEqual(["1997-09-02", "1997-09-12", "1997-09-22", "1997-10-02", "1997-10-12"]);
  });

  it("weekly for 10 occurrences, 09:00 local across the October DST change", () => {
    const starts = localStarts(
      rec("FREQ=WEEKLY;COUNT=10", "1997-09-02T09:00", NY),
      "1997-01-01T00:00:00Z",
      "1998-01-01T00:00:00Z",
    );
    expect(starts).toHaveLength(10);
    expect(starts.every((s) => s.endsWith("T09:00"))).toBe(true);
    expect(starts.at(-1)).toBe("1997-11-04T09:00");
  });

  it("every other week on MO, WE, FR until 1997-12-24 (WKST=SU)", () => {
    const w = rec(
      "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
      "1997-09-01T09:00",
      NY,
    );
    expect(days(w, "1997-01-01T00:00:00Z", "1999-01-01T00:00:00Z").map((d) => d.slice(5))).toEqual([
      ...["09-01", "09-03", "09-05", "09-15", "09-17", "09-19", "09-29"],
      ...["10-01", "10-03", "10-13", "10-15", "10-17", "10-27", "10-29", "10-31"],
      ...["11-10", "11-12", "11-14", "11-24", "11-26", "11-28"],
      ...["12-08", "12-10", "12-12", "12-22"],
    ]);
  });

  it("WKST changes which days an every-other-week rule picks", () => {
    const run = (wkst: string) =>
      days(
        rec(`FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=${wkst}`, "1997-08-05T09:00", NY),
        "1997-01-01T00:00:00Z",
        "1998-01-01T00:00:00Z",
      ).map((d) => d.slice(5));
    expect(run("MO")).toEqual(["08-05", "08-10", "08-19", "08-24"]);
    expect(run("SU")).toEqual(["08-05", "08-17", "08-19", "08-31"]);
  });

  it("monthly: first Friday x10, second-to-last Monday x6, third-to-last day, 2nd and 15th x10", () => {
    const range = ["1997-01-01T00:00:00Z", "1999-01-01T00:00:00Z"] as const;
    expect(days(rec("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "1997-09-05T09:00", NY), ...range)).toEqual([
      ...["1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05", "1998-01-02"],
      ...["1998-02-06", "1998-03-06", "1998-04-03", "1998-05-01", "1998-06-05"],
    ]);
    expect(days(rec("FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "1997-09-22T09:00", NY), ...range)).toEqual([
      ...["1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19", "1998-02-16"],
    ]);
    expect(
      days(
        rec("FREQ=MONTHLY;BYMONTHDAY=-3", "1997-09-28T09:00", NY),
        "1997-09-01T00:00:00Z",
        "1998-03-01T00:00:00Z",
      ),
    ).toEqual(["1997-09-28", "1997-10-29", "1997-11-28", "1997-12-29", "1998-01-29", "1998-02-26"]);
    expect(days(rec("FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", "1997-09-02T09:00", NY), ...range)).toEqual([
      ...["1997-09-02", "1997-09-15", "1997-10-02", "1997-10-15", "1997-11-02"],
      ...["1997-11-15", "1997-12-02", "1997-12-15", "1998-01-02", "1998-01-15"],
    ]);
  });

  it("every Tuesday, every other month; every Friday the 13th (DTSTART itself not a match)", () => {
    expect(
      days(
        rec("FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", "1997-09-02T09:00", NY),
        "1997-09-01T00:00:00Z",
        "1998-02-01T00:00:00Z",
      ),
    ).toEqual([
      ...["1997-09-02", "1997-09-09", "1997-09-16", "1997-09-23", "1997-09-30"],
      ...["1997-11-04", "1997-11-11", "1997-11-18", "1997-11-25"],
      ...["1998-01-06", "1998-01-13", "1998-01-20", "1998-01-27"],
    ]);
    expect(
      days(
        rec("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "1997-09-02T09:00", NY),
        "1997-01-01T00:00:00Z",
        "2000-12-31T00:00:00Z",
      ),
    ).toEqual(["1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13", "2000-10-13"]);
  });

  it("BYHOUR × BYMINUTE expand within the day", () => {
    const starts = localStarts(
      rec("FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", "1997-09-02T09:00", NY, 10),
      "1997-09-02T00:00:00Z",
      "1997-09-03T04:00:00Z",
    );
    expect(starts).toHaveLength(24);
    expect(starts.slice(0, 4)).toEqual([
      "1997-09-02T09:00",
      "1997-09-02T09:20",
      "1997-09-02T09:40",
      "1997-09-02T10:00",
    ]);
    expect(starts.at(-1)).toBe("1997-09-02T16:40");
  });
});

describe("RRULE expansion (more cases, UTC)", () => {
  it("monthly by DTSTART's day skips months without it; BYMONTHDAY=31 likewise; -1 is the last day", () => {
    const range = ["2026-01-01T00:00:00Z", "2026-08-01T00:00:00Z"] as const;
    const days = (w: MaintenanceWindow) => localStarts(w, ...range).map((s) => s.slice(0, 10));
    const by31 = ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31"];
    expect(days(rec("FREQ=MONTHLY", "2026-01-31T03:00"))).toEqual(by31);
    expect(days(rec("FREQ=MONTHLY;BYMONTHDAY=31", "2026-01-01T03:00"))).toEqual(by31);
    expect(days(rec("FREQ=MONTHLY;BYMONTHDAY=-1", "2026-01-01T03:00"))).toEqual([
      ...["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31"],
    ]);
    expect(days(rec("FREQ=MONTHLY;BYDAY=1SU,-1FR", "2026-01-01T03:00")).slice(0, 6)).toEqual([
      ...["2026-01-04", "2026-01-30", "2026-02-01", "2026-02-27", "2026-03-01", "2026-03-27"],
    ]);
    expect(days(rec("FREQ=MONTHLY;BYDAY=5TH", "2026-01-01T03:00"))).toEqual([
      "2026-01-29",
      "2026-04-30",
      "2026-07-30",
    ]);
  });

  it("daily with BYDAY and BYMONTHDAY as filters", () => {
    const weekdays = localStarts(
      rec("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "2026-03-01T22:00"),
      "2026-03-01T00:00:00Z",
      "2026-03-09T00:00:00Z",
    );
    expect(weekdays.map((s) => s.slice(8, 10))).toEqual(["02", "03", "04", "05", "06"]);
    const firsts = localStarts(
      rec("FREQ=DAILY;BYMONTHDAY=1", "2026-01-15T00:00"),
      "2026-01-01T00:00:00Z",
      "2026-04-02T00:00:00Z",
    );
    expect(firsts).toEqual(["2026-02-01T00:00", "2026-03-01T00:00", "2026-04-01T00:00"]);
  });

  it("weekly without BYDAY uses DTSTART's weekday; BYDAY days before DTSTART in its week are skipped", () => {
    // 2026-03-04 is a Wednesday
    expect(
      localStarts(rec("FREQ=WEEKLY", "2026-03-04T02:00"), "2026-03-01T00:00:00Z", "2026-03-19T00:00:00Z"),
    ).toEqual(["2026-03-04T02:00", "2026-03-11T02:00", "2026-03-18T02:00"]);
    expect(
      localStarts(
        rec("FREQ=WEEKLY;BYDAY=MO,SA", "2026-03-04T02:00"),
        "2026-03-01T00:00:00Z",
        "2026-03-15T00:00:00Z",
      ),
    ).toEqual(["2026-03-07T02:00", "2026-03-09T02:00", "2026-03-14T02:00"]);
  });

  it("COUNT counts from DTSTART however late the query", () => {
    const w = rec("FREQ=DAILY;COUNT=5", "2026-01-01T02:00");
    expect(localStarts(w, "2026-01-04T00:00:00Z", "2027-01-01T00:00:00Z")).toEqual([
      "2026-01-04T02:00",
      "2026-01-05T02:00",
    ]);
    expect(occurrencesBetween(w, ms("2026-01-06T00:00:00Z"), ms("2030-01-01T00:00:00Z"))).toEqual([]);
  });

  it("UNTIL is inclusive: an instant with Z, a wall time without, a whole day as a date", () => {
    const range = ["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"] as const;
    const last = (rrule: string, tz = "UTC") =>
      localStarts(rec(rrule, "2026-01-01T02:00", tz), ...range).at(-1);
    expect(last("FREQ=DAILY;UNTIL=20260105T020000Z")).toBe("2026-01-05T02:00");
    expect(last("FREQ=DAILY;UNTIL=20260105T015959Z")).toBe("2026-01-04T02:00");
    expect(last("FREQ=DAILY;UNTIL=20260105")).toBe("2026-01-05T02:00");
    // Berlin 02:00 = 01:00Z: UNTIL 01:30Z on the 5th includes the 5th; as a local time 01:30 excludes it
    expect(last("FREQ=DAILY;UNTIL=20260105T013000Z", "Europe/Berlin")).toBe("2026-01-05T02:00");
    expect(last("FREQ=DAILY;UNTIL=20260105T013000", "Europe/Berlin")).toBe("2026-01-04T02:00");
  });

  it("skipping ahead to a late range gives the same occurrences as expanding from DTSTART", () => {
    const rules = [
      ["FREQ=DAILY;INTERVAL=3;BYHOUR=1,13", "2024-02-29T01:00", "Europe/Berlin"],
      ["FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,WE;WKST=SU", "2024-01-10T23:30", "America/New_York"],
      ["FREQ=MONTHLY;INTERVAL=5;BYDAY=-1SU", "2023-11-26T02:30", "Europe/Berlin"],
      ["FREQ=MONTHLY;BYMONTHDAY=-1,15;BYHOUR=23;BYMINUTE=45", "2024-01-15T00:00", "Pacific/Kiritimati"],
      ["FREQ=DAILY;UNTIL=20261231T000000Z", "2025-06-01T00:15", "Asia/Kolkata"],
    ] as const;
    for (const [rrule, start, tz] of rules) {
      const w = rec(rrule, start, tz, 240);
      const all = occurrencesBetween(w, ms("2023-01-01T00:00:00Z"), ms("2027-01-01T00:00:00Z"));
      for (const [from, to] of [
        ["2026-03-28T00:00:00Z", "2026-04-10T00:00:00Z"],
        ["2026-10-20T10:00:00Z", "2026-11-05T00:00:00Z"],
        ["2025-12-31T22:00:00Z", "2026-01-01T02:00:00Z"],
      ] as const) {
        const expected = all.filter((o) => o.start < ms(to) && o.end > ms(from));
        expect(occurrencesBetween(w, ms(from), ms(to)), `${rrule} ${from}`).toEqual(expected);
      }
    }
  });

  it("is fast for a daily window started long ago", () => {
    const w = rec("FREQ=DAILY;BYHOUR=0,6,12,18", "2000-01-01T00:00", "Europe/Berlin");
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) activeWindows([w], { id: "m" }, ms("2026-06-01T00:10:00Z") + i * HOUR);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe("DST behaviour (defined: RFC 5545 start, elapsed duration)", () => {
  it("02:00 Europe/Berlin daily on spring-forward day: starts after the gap (03:00 CEST), lasts 60 elapsed minutes", () => {
    const w = rec("FREQ=DAILY", "2026-03-01T02:00", "Europe/Berlin", 60);
    expect(
      occurrencesBetween(w, ms("2026-03-28T00:00:00Z"), ms("2026-03-31T00:00:00Z")).map((o) => [
        iso(o.start),
        iso(o.end),
      ]),
    ).toEqual([
      ["2026-03-28T01:00:00.000Z", "2026-03-28T02:00:00.000Z"], // 02:00-03:00 CET
      ["2026-03-29T01:00:00.000Z", "2026-03-29T02:00:00.000Z"], // 03:00-04:00 CEST: the day still has its window
      ["2026-03-30T00:00:00.000Z", "2026-03-30T01:00:00.000Z"], // 02:00-03:00 CEST
    ]);
    expect(activeWindows([w], { id: "m" }, ms("2026-03-29T00:59:59Z"))).toEqual([]);
    expect(activeWindows([w], { id: "m" }, ms("2026-03-29T01:00:00Z"))).toEqual([w]);
    expect(activeWindows([w], { id: "m" }, ms("2026-03-29T01:59:59Z"))).toEqual([w]);
    expect(activeWindows([w], { id: "m" }, ms("2026-03-29T02:00:00Z"))).toEqual([]);
  });

  it("02:30 Europe/Berlin on fall-back day happens once, in the first (CEST) 02:30", () => {
    const w = rec("FREQ=DAILY", "2026-10-01T02:30", "Europe/Berlin", 20);
    expect(
      occurrencesBetween(w, ms("2026-10-24T12:00:00Z"), ms("2026-10-25T12:00:00Z")).map((o) => iso(o.start)),
    ).toEqual(["2026-10-25T00:30:00.000Z"]);
    // the second 02:30 (CET, 01:30Z) is not maintenance
    expect(activeWindows([w], { id: "m" }, ms("2026-10-25T01:40:00Z"))).toEqual([]);
  });

  it("01:30 America/New_York on fall-back day: the first 01:30 (EDT), never the repeated one (EST)", () => {
    const w = rec("FREQ=DAILY", "2026-10-01T01:30", "America/New_York", 30);
    expect(
      occurrencesBetween(w, ms("2026-10-31T00:00:00Z"), ms("2026-11-03T00:00:00Z")).map((o) => [
        iso(o.start),
        iso(o.end),
      ]),
    ).toEqual([
      ["2026-10-31T05:30:00.000Z", "2026-10-31T06:00:00.000Z"], // 01:30 EDT
      ["2026-11-01T05:30:00.000Z", "2026-11-01T06:00:00.000Z"], // 01:30 EDT, the first of two
      ["2026-11-02T06:30:00.000Z", "2026-11-02T07:00:00.000Z"], // 01:30 EST
    ]);
    expect(activeWindows([w], { id: "m" }, ms("2026-11-01T05:45:00Z"))).toEqual([w]);
    expect(activeWindows([w], { id: "m" }, ms("2026-11-01T06:45:00Z"))).toEqual([]); // 01:45 EST
  });

  it("a window spanning the change lasts its elapsed duration, whatever the clock says", () => {
    const w = rec("FREQ=DAILY", "2026-03-01T01:00", "Europe/Berlin", 180);
    const [o] = occurrencesBetween(w, ms("2026-03-29T00:00:00Z"), ms("2026-03-29T00:00:01Z"));
    expect([iso(o?.start ?? 0), iso(o?.end ?? 0)]).toEqual([
      "2026-03-29T00:00:00.000Z",
      "2026-03-29T03:00:00.000Z",
    ]);
    expect(iso(utcToWall("Europe/Berlin", o?.end ?? 0))).toBe("2026-03-29T05:00:00.000Z"); // 01:00 CET → 05:00 CEST
  });

  it("BYHOUR=2,3 on spring-forward day: both land on 03:00 CEST, one occurrence", () => {
    const w = rec("FREQ=DAILY;BYHOUR=2,3", "2026-03-01T02:00", "Europe/Berlin", 15);
    expect(
      occurrencesBetween(w, ms("2026-03-29T00:00:00Z"), ms("2026-03-29T12:00:00Z")).map((o) => iso(o.start)),
    ).toEqual(["2026-03-29T01:00:00.000Z"]);
  });

  it("Southern hemisphere: weekly Sunday 02:30 Australia/Sydney on its fall-back and spring-forward days", () => {
    const w = rec("FREQ=WEEKLY;BYDAY=SU", "2026-01-04T02:30", "Australia/Sydney", 30);
    // 2026-04-05 03:00 AEDT → 02:00 AEST: 02:30 occurs twice, the first (AEDT, +11) is meant
    expect(
      occurrencesBetween(w, ms("2026-04-04T00:00:00Z"), ms("2026-04-05T12:00:00Z")).map((o) => iso(o.start)),
    ).toEqual(["2026-04-04T15:30:00.000Z"]);
    // 2026-10-04 02:00 AEST → 03:00 AEDT: 02:30 does not exist, it becomes 03:30 AEDT
    expect(
      occurrencesBetween(w, ms("2026-10-03T00:00:00Z"), ms("2026-10-04T12:00:00Z")).map((o) => iso(o.start)),
    ).toEqual(["2026-10-03T16:30:00.000Z"]);
  });
});

describe("activeWindows / windowsBetween", () => {
  const upgrade = win({
    id: "upgrade",
    title: "2.1",
    start: "2026-05-01T02:00:00Z",
    end: "2026-05-01T04:00:00Z",
  });
  const acme = win({
    id: "acme-nightly",
    rrule: "FREQ=DAILY",
    start: "2026-04-01T23:30",
    tz: "UTC",
    durationMin: 60,
    tags: { operator: "acme" },
  });
  const onlyA = win({
    id: "only-a",
    start: "2026-05-01T03:00:00Z",
    end: "2026-05-01T05:00:00Z",
    monitors: ["a"],
  });
  const both = win({
    id: "both",
    start: "2026-05-01T00:00:00Z",
    end: "2026-05-02T00:00:00Z",
    monitors: ["a", "b"],
    tags: { network: "casper" },
  });
  const all = [upgrade, acme, onlyA, both];
  const a = { id: "a", tags: { operator: "acme", network: "casper" } };
  const b = { id: "b", tags: { operator: "other" } };
  const c = { id: "c" };

  it("scope: none = all; monitors; tags all match; both must match", () => {
    expect(all.filter((w) => inScope(w, a)).map((w) => w.id)).toEqual([
      "upgrade",
      "acme-nightly",
      "only-a",
      "both",
    ]);
    expect(all.filter((w) => inScope(w, b)).map((w) => w.id)).toEqual(["upgrade"]);
    expect(all.filter((w) => inScope(w, c)).map((w) => w.id)).toEqual(["upgrade"]);
  });

  it("one-off: start inclusive, end exclusive; Date or ms", () => {
    expect(activeWindows(all, c, ms("2026-05-01T01:59:59.999Z"))).toEqual([]);
    expect(activeWindows(all, c, new Date("2026-05-01T02:00:00Z"))).toEqual([upgrade]);
    expect(activeWindows(all, c, ms("2026-05-01T03:59:59.999Z"))).toEqual([upgrade]);
    expect(activeWindows(all, c, ms("2026-05-01T04:00:00Z"))).toEqual([]);
    expect(activeWindows(all, a, ms("2026-05-01T03:30:00Z")).map((w) => w.id)).toEqual([
      "upgrade",
      "only-a",
      "both",
    ]);
  });

  it("recurring across midnight; nothing before DTSTART", () => {
    expect(activeWindows([acme], a, ms("2026-05-02T00:15:00Z"))).toEqual([acme]);
    expect(activeWindows([acme], a, ms("2026-05-02T00:30:00Z"))).toEqual([]);
    expect(activeWindows([acme], a, ms("2026-03-31T23:45:00Z"))).toEqual([]);
    expect(activeWindows([acme], a, ms("2026-04-01T23:45:00Z"))).toEqual([acme]);
    expect(activeWindows([acme], b, ms("2026-04-01T23:45:00Z"))).toEqual([]);
  });

  it("windowsBetween lists overlapping occurrences unclipped, sorted by start then id", () => {
    expect(windowsBetween(all, a, ms("2026-05-01T00:10:00Z"), ms("2026-05-01T03:30:00Z"))).toEqual([
      { id: "acme-nightly", start: ms("2026-04-30T23:30:00Z"), end: ms("2026-05-01T00:30:00Z") },
      { id: "both", start: ms("2026-05-01T00:00:00Z"), end: ms("2026-05-02T00:00:00Z") },
      { id: "upgrade", title: "2.1", start: ms("2026-05-01T02:00:00Z"), end: ms("2026-05-01T04:00:00Z") },
      { id: "only-a", start: ms("2026-05-01T03:00:00Z"), end: ms("2026-05-01T05:00:00Z") },
    ]);
    expect(windowsBetween(all, c, ms("2026-05-01T04:00:00Z"), ms("2026-05-02T00:00:00Z"))).toEqual([]);
    expect(windowsBetween(all, a, ms("2026-05-02T00:00:00Z"), ms("2026-05-01T00:00:00Z"))).toEqual([]);
  });

  it("a month of a weekly window for an SLA report", () => {
    const weekly = rec("FREQ=WEEKLY;BYDAY=SA;BYHOUR=2", "2026-01-03T02:00", "Europe/Berlin", 60);
    const march = windowsBetween([weekly], c, ms("2026-03-01T00:00:00Z"), ms("2026-04-01T00:00:00Z"));
    expect(march.map((o) => iso(o.start))).toEqual([
      "2026-03-07T01:00:00.000Z",
      "2026-03-14T01:00:00.000Z",
      "2026-03-21T01:00:00.000Z",
      "2026-03-28T01:00:00.000Z",
    ]);
    const april = windowsBetween([weekly], c, ms("2026-04-01T00:00:00Z"), ms("2026-04-08T00:00:00Z"));
    expect(april.map((o) => iso(o.start))).toEqual(["2026-04-04T00:00:00.000Z"]); // CEST now
  });

  it("maintenanceIntervals clips to the range and merges overlaps", () => {
    expect(maintenanceIntervals(all, a, ms("2026-05-01T00:10:00Z"), ms("2026-05-01T03:30:00Z"))).toEqual([
      { start: ms("2026-05-01T00:10:00Z"), end: ms("2026-05-01T03:30:00Z") },
    ]);
    expect(maintenanceIntervals(all, b, ms("2026-05-01T00:00:00Z"), ms("2026-05-01T12:00:00Z"))).toEqual([
      { start: ms("2026-05-01T02:00:00Z"), end: ms("2026-05-01T04:00:00Z") },
    ]);
    const daily = rec("FREQ=DAILY", "2026-05-01T01:00", "UTC", 60);
    expect(
      maintenanceIntervals([daily, upgrade], c, ms("2026-05-01T00:00:00Z"), ms("2026-05-03T00:00:00Z")),
    ).toEqual([
      { start: ms("2026-05-01T01:00:00Z"), end: ms("2026-05-01T04:00:00Z") },
      { start: ms("2026-05-02T01:00:00Z"), end: ms("2026-05-02T02:00:00Z") },
    ]);
    expect(maintenanceIntervals(all, c, ms("2026-06-01T00:00:00Z"), ms("2026-06-02T00:00:00Z"))).toEqual([]);
  });
});
