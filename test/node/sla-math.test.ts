import { describe, expect, it } from "vitest";
import type { MaintenanceWindow } from "../../src/core/config/maintenance.ts";
import { maintenanceIntervals, windowsBetween } from "../../src/core/maintenance/windows.ts";
import { addValue, emptySketch } from "../../src/core/sketch.ts";
import { computeSla, type MonitorSlaInput, type SlaRequest, stateTime } from "../../src/core/sla/compute.ts";
import { monthPeriod } from "../../src/core/sla/period.ts";
import type { UnknownPolicy } from "../../src/core/sla/schema.ts";
import type { Incident } from "../../src/core/state/incident.ts";
import type { Transition } from "../../src/core/uptime.ts";

// Every expected number below is worked out by hand in the comment next to it.
const T = (s: string) => Date.parse(s);
const tr = (at: string, state: Transition["state"]): Transition => ({ at: T(at), state });
const H = 3600;

function monitor(id: string, overall: Transition[], extra: Partial<MonitorSlaInput> = {}): MonitorSlaInput {
  return { id, slaTarget: 99.9, overall, regions: {}, maintenance: [], windows: [], incidents: [], ...extra };
}

function request(period: { from: number; to: number }, extra: Partial<SlaRequest> = {}): SlaRequest {
  return {
    ...period,
    tz: "UTC",
    policy: "exclude",
    scope: { monitor: "m" },
    generatedAt: T("2026-12-01T00:00:00Z"),
    ...extra,
  };
}

describe("SLA arithmetic, hand-computed", () => {
  it("across a month boundary: each month gets only its own side", () => {
    // up from Jan 31 23:00, down Feb 1 00:30–01:00, then up.
    const m = monitor("m", [
      tr("2026-01-31T23:00:00Z", "up"),
      tr("2026-02-01T00:30:00Z", "down"),
      tr("2026-02-01T01:00:00Z", "up"),
    ]);
    const jan = computeSla(request(monthPeriod("2026-01", "UTC") as { from: number; to: number }), [m]);
    // January: only 23:00–24:00 on the 31st, all up.
    expect(jan.summary.upSec).toBe(H);
    expect(jan.summary.downSec).toBe(0);
    expect(jan.summary.availabilityPercent).toBe(100);
    expect(jan.monitors[0]?.observedFrom).toBe("2026-01-31T23:00:00.000Z");

    const feb = computeSla(request(monthPeriod("2026-02", "UTC") as { from: number; to: number }), [m]);
    // February 2026 has 28 days = 2 419 200 s; down 1 800 s; up the rest = 2 417 400 s.
    expect(feb.summary.downSec).toBe(1800);
    expect(feb.summary.upSec).toBe(2_417_400);
    expect(feb.summary.unknownSec).toBe(0);
    // 2 417 400 / 2 419 200 = 99.925595… % → 99.9256 at four decimals; target 99.9 met.
    expect(feb.summary.availabilityPercent).toBe(99.9256);
    expect(feb.monitors[0]?.targetMet).toBe(true);
    expect(feb.period).toEqual({
      from: "2026-02-01T00:00:00.000Z",
      to: "2026-03-01T00:00:00.000Z",
      tz: "UTC",
      month: null,
    });
  });

  it("Europe/Berlin March: the month is 743 hours and an outage over the skipped hour is 1 h", () => {
    const p = monthPeriod("2026-03", "Europe/Berlin") as { from: number; to: number };
    // March 1 00:00 CET = Feb 28 23:00Z; April 1 00:00 CEST = Mar 31 22:00Z.
    expect(new Date(p.from).toISOString()).toBe("2026-02-28T23:00:00.000Z");
    expect(new Date(p.to).toISOString()).toBe("2026-03-31T22:00:00.000Z");
    // down 01:30 CET (00:30Z) → 03:30 CEST (01:30Z) on the 29th: two wall hours, one real hour.
    const m = monitor("m", [
      tr("2026-02-01T00:00:00Z", "up"),
      tr("2026-03-29T00:30:00Z", "down"),
      tr("2026-03-29T01:30:00Z", "up"),
    ]);
    const r = computeSla(request(p, { tz: "Europe/Berlin", month: "2026-03" }), [m]);
    // 31 days − 1 h = 743 h = 2 674 800 s; down 3 600 s.
    expect(r.summary.downSec).toBe(H);
    expect(r.summary.upSec + r.summary.downSec).toBe(2_674_800);
    // 2 671 200 / 2 674 800 = 99.865410… % → 99.8654; below 99.9: missed.
    expect(r.summary.availabilityPercent).toBe(99.8654);
    expect(r.summary.targetMet).toBe(false);
    expect(r.period.month).toBe("2026-03");
  });

  it("Europe/Berlin October: the month is 745 hours and the repeated hour counts twice", () => {
    const p = monthPeriod("2026-10", "Europe/Berlin") as { from: number; to: number };
    expect(new Date(p.from).toISOString()).toBe("2026-09-30T22:00:00.000Z");
    expect(new Date(p.to).toISOString()).toBe("2026-10-31T23:00:00.000Z");
    // down 02:30 CEST (00:30Z) → 03:00 CET (02:00Z) on the 25th: 30 wall minutes, 90 real ones.
    const m = monitor("m", [
      tr("2026-09-01T00:00:00Z", "up"),
      tr("2026-10-25T00:30:00Z", "down"),
      tr("2026-10-25T02:00:00Z", "up"),
    ]);
    const r = computeSla(request(p, { tz: "Europe/Berlin" }), [m]);
    // 31 days + 1 h = 745 h = 2 682 000 s; down 5 400 s; 2 676 600 / 2 682 000 = 99.798657… %.
    expect(r.summary.downSec).toBe(5400);
    expect(r.summary.upSec).toBe(2_676_600);
    expect(r.summary.availabilityPercent).toBe(99.7987);
  });

  it("overlapping incidents of two monitors: each counted in full, MTTR is their mean", () => {
    const day = { from: T("2026-05-01T00:00:00Z"), to: T("2026-05-02T00:00:00Z") };
    const inc = (id: string, opened: string, closed: string): Incident => ({
      id,
      monitorId: id.split("@")[0] as string,
      state: "down",
      openedAt: T(opened),
      closedAt: T(closed),
      reasons: ["connection refused"],
    });
    // a down 10:00–11:00, b down 10:30–12:00: they overlap 10:30–11:00.
    const a = monitor(
      "a",
      [
        tr("2026-04-30T00:00:00Z", "up"),
        tr("2026-05-01T10:00:00Z", "down"),
        tr("2026-05-01T11:00:00Z", "up"),
      ],
      { incidents: [inc("a@1", "2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z")] },
    );
    const b = monitor(
      "b",
      [
        tr("2026-04-30T00:00:00Z", "up"),
        tr("2026-05-01T10:30:00Z", "down"),
        tr("2026-05-01T12:00:00Z", "up"),
      ],
      { incidents: [inc("b@1", "2026-05-01T10:30:00Z", "2026-05-01T12:00:00Z")], slaTarget: 95 },
    );
    const r = computeSla(request(day, { scope: { tag: "team:x" } }), [b, a]);
    expect(r.monitors.map((m) => m.id)).toEqual(["a", "b"]);
    // a: 3 600 s down of 86 400 → 95.8333 %; b: 5 400 s → 93.75 %.
    expect(r.monitors[0]?.availabilityPercent).toBe(95.8333);
    expect(r.monitors[1]?.availabilityPercent).toBe(93.75);
    expect(r.monitors[0]?.mttrSec).toBe(3600);
    expect(r.monitors[1]?.mttrSec).toBe(5400);
    // Group: monitor-time weighted, 9 000 s down of 172 800 s → 94.7917 %; MTTR (3 600 + 5 400) / 2.
    expect(r.summary.downSec).toBe(9000);
    expect(r.summary.availabilityPercent).toBe(94.7917);
    expect(r.summary.mttrSec).toBe(4500);
    expect(r.summary.incidents).toBe(2);
    expect(r.incidents.map((i) => [i.id, i.durationSec, i.inPeriodSec])).toEqual([
      ["a@1", 3600, 3600],
      ["b@1", 5400, 5400],
    ]);
    // a misses 99.9, b misses 95: the group misses; there is no single group target.
    expect(r.summary.slaTargetPercent).toBeNull();
    expect(r.summary.targetMet).toBe(false);
  });

  it("gaps are unknown, reported apart and treated by the stated policy", () => {
    const day = { from: T("2026-06-01T00:00:00Z"), to: T("2026-06-02T00:00:00Z") };
    // up, then 2 h of nothing (swept to unknown), 1 h down, up again.
    const m = monitor("m", [
      tr("2026-05-31T00:00:00Z", "up"),
      tr("2026-06-01T06:00:00Z", "unknown"),
      tr("2026-06-01T08:00:00Z", "down"),
      tr("2026-06-01T09:00:00Z", "up"),
    ]);
    const at = (policy: UnknownPolicy) => computeSla(request(day, { policy }), [m]);
    const ex = at("exclude");
    expect([ex.summary.upSec, ex.summary.downSec, ex.summary.unknownSec]).toEqual([21 * H, H, 2 * H]);
    // exclude: 21 / 22 = 95.454545… %; down: 21 / 24 = 87.5 %; up: 23 / 24 = 95.833333… %.
    expect(ex.summary.availabilityPercent).toBe(95.4545);
    expect(ex.unknownPolicy).toBe("exclude");
    expect(at("down").summary.availabilityPercent).toBe(87.5);
    expect(at("up").summary.availabilityPercent).toBe(95.8333);
  });

  it("maintenance partly overlapping an incident: the overlap leaves the denominator", () => {
    const day = { from: T("2026-07-01T00:00:00Z"), to: T("2026-07-02T00:00:00Z") };
    const window: MaintenanceWindow = {
      id: "upgrade",
      title: "node upgrade",
      start: "2026-07-01T10:30:00Z",
      end: "2026-07-01T12:00:00Z",
      monitors: ["m"],
    } as MaintenanceWindow;
    const ref = { id: "m", tags: {} };
    const m = monitor(
      "m",
      [
        tr("2026-06-30T00:00:00Z", "up"),
        tr("2026-07-01T10:00:00Z", "down"),
        tr("2026-07-01T11:00:00Z", "up"),
      ],
      {
        maintenance: maintenanceIntervals([window], ref, day.from, day.to),
        windows: windowsBetween([window], ref, day.from, day.to),
        incidents: [
          {
            id: "m@1",
            monitorId: "m",
            state: "down",
            openedAt: T("2026-07-01T10:00:00Z"),
            closedAt: T("2026-07-01T11:00:00Z"),
            reasons: ["timeout"],
          },
        ],
      },
    );
    const r = computeSla(request(day), [m]);
    // down 10:00–10:30 counts (1 800 s); 10:30–12:00 is maintenance (5 400 s: 1 800 down + 3 600 up).
    expect(r.summary.downSec).toBe(1800);
    expect(r.summary.maintenanceSec).toBe(5400);
    expect(r.summary.upSec).toBe(86_400 - 1800 - 5400);
    // 79 200 / 81 000 = 97.777… % → 97.7778.
    expect(r.summary.availabilityPercent).toBe(97.7778);
    expect(r.incidents[0]).toMatchObject({ durationSec: 3600, inPeriodSec: 3600, inMaintenanceSec: 1800 });
    expect(r.maintenance).toEqual([
      {
        id: "upgrade",
        monitorId: "m",
        title: "node upgrade",
        start: "2026-07-01T10:30:00.000Z",
        end: "2026-07-01T12:00:00.000Z",
        inPeriodSec: 5400,
      },
    ]);
  });

  it("a monitor added mid-month counts from its first result", () => {
    const p = monthPeriod("2026-02", "UTC") as { from: number; to: number };
    // First result Feb 15 00:00; down 1 h on the 20th. Observed 14 days = 1 209 600 s.
    const m = monitor("m", [
      tr("2026-02-15T00:00:00Z", "up"),
      tr("2026-02-20T00:00:00Z", "down"),
      tr("2026-02-20T01:00:00Z", "up"),
    ]);
    const r = computeSla(request(p), [m]);
    expect(r.summary.upSec + r.summary.downSec).toBe(1_209_600);
    expect(r.summary.unknownSec).toBe(0);
    // 1 206 000 / 1 209 600 = 99.702380… % → 99.7024.
    expect(r.summary.availabilityPercent).toBe(99.7024);
    expect(r.monitors[0]?.observedFrom).toBe("2026-02-15T00:00:00.000Z");
  });

  it("regions: per vantage time and latency percentiles; overall regions sum the monitors", () => {
    const day = { from: T("2026-08-01T00:00:00Z"), to: T("2026-08-02T00:00:00Z") };
    const weur = emptySketch();
    const enam = emptySketch();
    for (let i = 0; i < 100; i++) addValue(weur, 100);
    for (let i = 0; i < 100; i++) addValue(enam, 200);
    const m = monitor("m", [tr("2026-07-31T00:00:00Z", "up")], {
      regions: {
        weur: [
          tr("2026-07-31T00:00:00Z", "up"),
          tr("2026-08-01T12:00:00Z", "down"),
          tr("2026-08-01T18:00:00Z", "up"),
        ],
        enam: [tr("2026-07-31T00:00:00Z", "up")],
      },
      latency: {
        overall: { probes: 200, sketch: { n: 200, z: 0, b: { ...weur.b, ...enam.b } } },
        regions: { weur: { probes: 100, sketch: weur }, enam: { probes: 100, sketch: enam } },
      },
    });
    const r = computeSla(request(day), [m]);
    // weur down 6 h of 24: 75 %; enam 100 %. The overall state stayed up (quorum not reached).
    expect(r.regions.map((x) => [x.region, x.availabilityPercent, x.downSec])).toEqual([
      ["enam", 100, 0],
      ["weur", 75, 6 * H],
    ]);
    expect(r.summary.availabilityPercent).toBe(100);
    // 100 ms and 200 ms sit in log buckets within 2 %.
    const l = r.monitors[0]?.regions.find((x) => x.region === "weur")?.latencyMs;
    expect(Math.abs((l?.p50 as number) - 100)).toBeLessThanOrEqual(2);
    expect(Math.abs((r.summary.latencyMs.p99 as number) - 200)).toBeLessThanOrEqual(4);
    expect(r.summary.probes).toBe(200);
  });

  it("stateTime ignores time before the first transition", () => {
    const d = stateTime(
      [tr("2026-01-01T12:00:00Z", "down")],
      [],
      T("2026-01-01T00:00:00Z"),
      T("2026-01-02T00:00:00Z"),
    );
    expect(d).toEqual({ up: 0, degraded: 0, down: 12 * H * 1000, unknown: 0, maintenance: 0 });
  });
});

describe("validator rows, hand-computed", () => {
  // A 10-hour period. The key: up 6 h, degraded (CannotPropose) 2 h, down (out of the set) 1 h,
  // unknown (network unreadable) 1 h. Its two nodes: A up all 10 h; B up 9 h, down 1 h.
  const from = T("2026-11-01T00:00:00Z");
  const to = T("2026-11-01T10:00:00Z");
  const key = `01${"ab".repeat(32)}`;
  const validator = monitor(
    "val",
    [
      tr("2026-11-01T00:00:00Z", "up"),
      tr("2026-11-01T06:00:00Z", "degraded"),
      tr("2026-11-01T08:00:00Z", "down"),
      tr("2026-11-01T09:00:00Z", "unknown"),
    ],
    { validator: { chain: "casper", key }, name: "Acme validator" },
  );
  const nodeA = monitor("node-a", [tr("2026-11-01T00:00:00Z", "up")], {
    servesKey: key.toUpperCase().replace("0X", "0x"),
  });
  const nodeB = monitor(
    "node-b",
    [tr("2026-11-01T00:00:00Z", "up"), tr("2026-11-01T04:00:00Z", "down"), tr("2026-11-01T05:00:00Z", "up")],
    {
      servesKey: key,
    },
  );
  const other = monitor("other", [tr("2026-11-01T00:00:00Z", "down")]);
  const run = (policy: UnknownPolicy) =>
    computeSla(request({ from, to }, { policy, scope: { operator: "Acme" } }), [
      nodeB,
      validator,
      other,
      nodeA,
    ]).validators;

  it("active and producing counts up only; its nodes' availability counts up and degraded", () => {
    const [row, ...rest] = run("exclude");
    expect(rest).toEqual([]);
    expect(row).toEqual({
      monitorId: "val",
      name: "Acme validator",
      chain: "casper",
      key,
      upSec: 6 * H,
      degradedSec: 2 * H,
      downSec: H,
      unknownSec: H,
      maintenanceSec: 0,
      // exclude: 6 / (6 + 2 + 1) = 66.6666…% → 66.6667.
      activePercent: 66.6667,
      nodeMonitors: ["node-a", "node-b"],
      // nodes: up 10 + 9 = 19 h of 20 h = 95 %; the unrelated monitor is not counted.
      nodeAvailabilityPercent: 95,
    });
  });

  it("follows the unknown policy", () => {
    // down: 6 / 10 = 60 %. up: (6 + 1) / 10 = 70 %.
    expect(run("down")[0]?.activePercent).toBe(60);
    expect(run("up")[0]?.activePercent).toBe(70);
  });
});
