import { describe, expect, it } from "vitest";
import {
  type AlertMemory,
  decideAlerts,
  decideTimedAlerts,
  emptyAlertMemory,
} from "../../src/core/alerts/decide.ts";
import type { AlertEvent } from "../../src/core/alerts/event.ts";
import { routeAlert } from "../../src/core/alerts/route.ts";
import { AlertsSchema } from "../../src/core/config/alerts.ts";
import { MonitorSchema } from "../../src/core/config/schema.ts";
import { type Incident, incidentStep } from "../../src/core/state/incident.ts";
import type { Reason, State } from "../../src/core/verdict.ts";

const monitor = MonitorSchema.parse({
  id: "n1",
  name: "Node <1>",
  chain: "casper",
  check: { kind: "casper-rest", url: "http://n1:8888/status" },
  tags: { operator: "acme", network: "casper" },
});
const settings = { flapping: { transitions: 4, windowMin: 10 }, reminderEveryMin: 30 };
const MIN = 60_000;

/** Drives a monitor through overall states (one per minute) the way the state object does. */
function drive(states: State[], start = 0, mem: AlertMemory = emptyAlertMemory()) {
  let prev: State = "up";
  let open: Incident | undefined;
  const events: AlertEvent[] = [];
  states.forEach((state, i) => {
    const now = start + i * MIN;
    const reasons: Reason[] =
      state === "up" ? [] : [{ code: state, severity: "critical", message: `${state} #${i}` }];
    const overall = { state, since: now, reasons };
    const changed = state !== prev;
    const step = changed ? incidentStep(open, monitor.id, overall) : { open };
    open = step.open;
    const r = decideAlerts(
      mem,
      settings,
      {
        monitor,
        overall,
        changedFrom: changed ? prev : undefined,
        incidentChange: changed ? step.changed : undefined,
        instantReasons: reasons,
        vantages: [{ region: "weur", state }],
        now,
      },
      false,
    );
    mem = r.memory;
    events.push(...r.events);
    prev = state;
  });
  return { events, mem, open };
}

describe("alert decisions", () => {
  it("an outage gives one down alert and one recovered alert with its duration", () => {
    const { events } = drive(["up", "down", "down", "down", "up", "up"]);
    expect(events.map((e) => [e.kind, e.id])).toEqual([
      ["down", "n1@60000:down"],
      ["recovered", "n1@60000:recovered"],
    ]);
    expect(events[1]?.durationSec).toBe(180);
    expect(events[0]).toMatchObject({
      severity: "critical",
      title: "Node <1> is down",
      incidentId: "n1@60000",
    });
  });

  it("error text changing inside an incident does not re-alert", () => {
    const { events } = drive(["down", "down", "down"]);
    expect(events.map((e) => e.kind)).toEqual(["down"]);
  });

  it("degraded then down escalates once; ids are stable per transition", () => {
    const { events } = drive(["degraded", "degraded", "down", "down", "up"]);
    expect(events.map((e) => e.id)).toEqual(["n1@0:degraded", "n1@0:down", "n1@0:recovered"]);
  });

  it("flapping raises one alert instead of many, then 'stable' once it settles", () => {
    const { events, mem, open } = drive(["down", "up", "down", "up", "down", "up", "down", "up"]);
    expect(events.map((e) => e.kind)).toEqual(["down", "recovered", "down", "flapping"]);
    expect(mem.flappingSince).toBe(3 * MIN);
    const later = decideTimedAlerts(
      mem,
      settings,
      {
        monitor,
        overall: { state: "up", since: 7 * MIN, reasons: [] },
        vantages: [],
        now: 7 * MIN + 10 * MIN,
      },
      open,
      false,
    );
    expect(later.events.map((e) => e.kind)).toEqual(["stable"]);
    expect(later.memory.flappingSince).toBeUndefined();
  });

  it("gaps (unknown) in a long outage are not flapping and raise no new alerts", () => {
    // A restart or a silent checker: down, unknown, down, again and again within the window.
    const { events, mem } = drive(["down", "unknown", "down", "unknown", "down", "unknown", "down"]);
    expect(events.map((e) => e.kind)).toEqual(["down"]);
    expect(mem.flappingSince).toBeUndefined();
    expect(mem.transitions).toEqual([0]); // only the change from up to down counts
  });

  it("reminders follow the clock while an incident stays open", () => {
    const { mem, open } = drive(["down"]);
    expect(open).toBeDefined();
    const at = (min: number) =>
      decideTimedAlerts(
        mem,
        settings,
        { monitor, overall: { state: "down", since: 0, reasons: [] }, vantages: [], now: min * MIN },
        open,
        false,
      );
    expect(at(29).events).toEqual([]);
    const r = at(31);
    expect(r.events.map((e) => [e.kind, e.id])).toEqual([["reminder", "n1@0:reminder:1"]]);
    expect(
      decideTimedAlerts(
        r.memory,
        settings,
        { monitor, overall: { state: "down", since: 0, reasons: [] }, vantages: [], now: 40 * MIN },
        open,
        false,
      ).events,
    ).toEqual([]);
  });

  it("planned maintenance silences alerts", () => {
    const r = decideAlerts(
      emptyAlertMemory(),
      settings,
      {
        monitor,
        overall: { state: "down", since: 0, reasons: [] },
        changedFrom: "up",
        incidentChange: { id: "n1@0", monitorId: "n1", state: "down", openedAt: 0, reasons: [] },
        instantReasons: [],
        vantages: [],
        now: 0,
      },
      true,
    );
    expect(r.events).toEqual([]);
  });

  it("an upgrade or a version drift is announced once per message", () => {
    const facts = (message: string) => ({
      monitor,
      overall: { state: "up" as const, since: 0, reasons: [] },
      instantReasons: [{ code: "upgrade_scheduled", severity: "info" as const, message }],
      vantages: [],
      now: 0,
    });
    let r = decideAlerts(emptyAlertMemory(), settings, facts("upgrade to 2.0.1 scheduled at 42"), false);
    expect(r.events.map((e) => [e.kind, e.severity])).toEqual([["upgrade_scheduled", "info"]]);
    r = decideAlerts(r.memory, settings, facts("upgrade to 2.0.1 scheduled at 42"), false);
    expect(r.events).toEqual([]);
    r = decideAlerts(r.memory, settings, facts("upgrade to 2.0.2 scheduled at 50"), false);
    expect(r.events).toHaveLength(1);
  });

  it("a validator's status and an eviction ahead: their own kinds, their reason's severity, ASCII ids", () => {
    const reasons = [
      {
        code: "cannot_propose",
        severity: "warn" as const,
        message: "01ab…cdef is marked CannotPropose in era 7",
      },
      {
        code: "seen_as_faulty",
        severity: "critical" as const,
        message: "01ab…cdef was seen as faulty in era 7",
      },
      { code: "leaving_validator_set", severity: "warn" as const, message: "evicted when era 7 ends" },
      { code: "not_proposing", severity: "warn" as const, message: "proposed 0 of ~9 expected blocks" },
    ];
    const r = decideAlerts(
      emptyAlertMemory(),
      settings,
      {
        monitor,
        overall: { state: "up", since: 0, reasons: [] },
        instantReasons: reasons,
        vantages: [],
        now: 0,
      },
      false,
    );
    expect(r.events.map((e) => [e.kind, e.severity])).toEqual([
      ["validator_status", "warning"],
      ["validator_status", "critical"],
      ["validator_eviction", "warning"],
    ]);
    // Event ids become webhook-id headers: the ellipsis of a shortened key must not reach them.
    for (const e of r.events) expect(e.id).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("certificate expiry notices", () => {
  const at = (daysLeft: number, mem = emptyAlertMemory()) =>
    decideAlerts(
      mem,
      settings,
      {
        monitor,
        overall: { state: "up", since: 0, reasons: [] },
        instantReasons: [],
        cert: { earliestNotAfter: 1_900_000_000_000, earliestDaysLeft: daysLeft },
        vantages: [],
        now: 0,
      },
      false,
    );
  it("go out once at 30, 14, 7 and 1 days left", () => {
    expect(at(45).events).toEqual([]);
    let r = at(29.5);
    expect(r.events.map((e) => [e.kind, e.severity, e.title])).toEqual([
      ["cert_expiring", "info", "Node <1>: certificate expires in 29 days"],
    ]);
    const seen: string[] = [];
    for (const d of [29, 20, 13.9, 13, 6.5, 3, 0.5, 0.4]) {
      r = at(d, r.memory);
      seen.push(...r.events.map((e) => e.severity));
    }
    expect(seen).toEqual(["warning", "warning", "critical"]);
    expect(at(-2).events[0]?.title).toBe("Node <1>: certificate has expired");
  });
});

describe("alert routing", () => {
  const alerts = AlertsSchema.parse({
    channels: [
      { type: "slack", id: "ops", url: { secret: "SLACK_URL" } },
      { type: "pagerduty", id: "pager", routingKey: { secret: "PD_KEY" } },
      { type: "discord", id: "public", url: { secret: "DISCORD_URL" } },
    ],
    routes: [
      { channels: ["ops"], minSeverity: "info" },
      { channels: ["pager"], minSeverity: "critical", tags: { operator: "acme" } },
      { channels: ["public"], kinds: ["down", "recovered"], monitors: ["n2"] },
    ],
  });
  const ev = (kind: AlertEvent["kind"], severity: AlertEvent["severity"], id = "n1"): AlertEvent => ({
    id: "x",
    kind,
    severity,
    at: "",
    title: "",
    reasons: [],
    monitor: { id, name: id, chain: "casper", kind: "casper-rest", tags: { operator: "acme" } },
  });
  it("by severity, tag, monitor and kind; recoveries follow the route that paged", () => {
    expect(routeAlert(ev("down", "critical"), alerts)).toEqual(["ops", "pager"]);
    expect(routeAlert(ev("degraded", "warning"), alerts)).toEqual(["ops"]);
    expect(routeAlert(ev("recovered", "info"), alerts)).toEqual(["ops", "pager"]);
    expect(routeAlert(ev("down", "critical", "n2"), alerts)).toEqual(["ops", "pager", "public"]);
  });
  it("without routes every channel gets warnings and worse", () => {
    const all = AlertsSchema.parse({ channels: alerts.channels });
    expect(routeAlert(ev("upgrade_scheduled", "info"), all)).toEqual([]);
    expect(routeAlert(ev("down", "critical"), all)).toEqual(["ops", "pager", "public"]);
  });
  it("refuses routes to unknown channels", () => {
    const r = AlertsSchema.safeParse({ channels: [], routes: [{ channels: ["nope"] }] });
    expect(r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["routes.0.channels.0", "no channel 'nope'"],
    ]);
  });
});
