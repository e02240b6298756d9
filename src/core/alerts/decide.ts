import type { Monitor } from "../config/schema.ts";
import { fnv1a } from "../hash.ts";
import type { Incident } from "../state/incident.ts";
import type { OverallState } from "../state/monitor.ts";
import type { Reason, State } from "../verdict.ts";
import type { AlertEvent, AlertKind, AlertSeverity } from "./event.ts";

/** What the alert logic remembers per monitor between steps (kept in the state checkpoint). */
export interface AlertMemory {
  /** Times of recent overall transitions, for flapping detection. */
  transitions: number[];
  flappingSince?: number;
  /** Info notices already sent (upgrade to X, drift to Y), so each goes out once. */
  noticed: string[];
  lastReminderAt?: number;
}

export interface AlertSettings {
  flapping: { transitions: number; windowMin: number };
  reminderEveryMin: number;
}

export const emptyAlertMemory = (): AlertMemory => ({ transitions: [], noticed: [] });

export interface StepFacts {
  monitor: Monitor;
  /** What the public sees; the gap bookkeeping of the state is none of the alerts' business. */
  overall: Pick<OverallState, "state" | "since" | "reasons">;
  /** Overall state before the step, when it changed. */
  changedFrom?: State;
  /** The incident as the step left it (opened, escalated or closed), if it changed. */
  incidentChange?: Incident;
  /** Reasons of the instant verdict, for one-off notices. */
  instantReasons: Reason[];
  /** Certificate expiry seen by this probe (agent tls-cert): earliest in the chain. */
  cert?: { earliestNotAfter: number; earliestDaysLeft: number };
  vantages: { region: string; state: State }[];
  now: number;
}

const iso = (t: number) => new Date(t).toISOString();
const texts = (rs: Reason[]) => rs.filter((r) => r.severity !== "info").map((r) => r.message);

function event(
  f: Pick<StepFacts, "monitor" | "overall" | "vantages">,
  id: string,
  kind: AlertKind,
  severity: AlertSeverity,
  at: number,
  title: string,
  extra: Partial<AlertEvent> = {},
): AlertEvent {
  const { monitor } = f;
  const tags = Object.fromEntries(
    Object.entries(monitor.tags).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return {
    id,
    kind,
    severity,
    at: iso(at),
    title,
    monitor: { id: monitor.id, name: monitor.name, chain: monitor.chain, kind: monitor.check.kind, tags },
    state: f.overall.state,
    reasons: texts(f.overall.reasons).slice(0, 20),
    vantages: f.vantages,
    ...extra,
  };
}

/**
 * Counts a transition and tells whether the monitor has just started flapping. Changes into or
 * out of `unknown` do not count: that is our blind spot (a restart, a gap, a checker error), not
 * the node changing its mind — down, a gap, and down again is one outage, not two.
 */
function trackFlapping(mem: AlertMemory, s: AlertSettings, f: StepFacts): AlertEvent | undefined {
  if (f.changedFrom === undefined || f.changedFrom === "unknown" || f.overall.state === "unknown") {
    return undefined;
  }
  const window = s.flapping.windowMin * 60_000;
  mem.transitions = [...mem.transitions.filter((t) => f.now - t < window), f.now];
  if (mem.flappingSince !== undefined || mem.transitions.length < s.flapping.transitions) return undefined;
  mem.flappingSince = f.now;
  return event(
    f,
    `${f.monitor.id}:flapping:${f.now}`,
    "flapping",
    "warning",
    f.now,
    `${f.monitor.name} is flapping: ${mem.transitions.length} state changes in ${s.flapping.windowMin} min`,
  );
}

function incidentAlert(f: StepFacts, incident: Incident): AlertEvent | undefined {
  const name = f.monitor.name;
  if (incident.closedAt !== undefined) {
    const durationSec = Math.round((incident.closedAt - incident.openedAt) / 1000);
    return event(f, `${incident.id}:recovered`, "recovered", "info", incident.closedAt, `${name} recovered`, {
      incidentId: incident.id,
      durationSec,
      reasons: incident.reasons,
    });
  }
  const kind = incident.state === "down" ? "down" : "degraded";
  const title = kind === "down" ? `${name} is down` : `${name} is degraded`;
  return event(f, `${incident.id}:${kind}`, kind, kind === "down" ? "critical" : "warning", f.now, title, {
    incidentId: incident.id,
  });
}

const NOTICES: Partial<Record<string, AlertKind>> = {
  upgrade_scheduled: "upgrade_scheduled",
  version_drift: "version_drift",
  // A validator key's status as the network reports it: sent as soon as one probe sees it, before
  // any threshold, because it will not go away by itself (and an eviction is announced an era ahead).
  cannot_propose: "validator_status",
  seen_as_faulty: "validator_status",
  fault_event: "validator_status",
  banned: "validator_status",
  leaving_validator_set: "validator_eviction",
};

const noticeSeverity = (r: Reason): AlertSeverity =>
  r.severity === "critical" ? "critical" : r.severity === "warn" ? "warning" : "info";

/** One-off notices (scheduled upgrade, version drift, a validator's status): once per distinct message. */
function notices(mem: AlertMemory, f: StepFacts): AlertEvent[] {
  const out: AlertEvent[] = [];
  for (const r of f.instantReasons) {
    const kind = NOTICES[r.code];
    if (!kind) continue;
    const key = `${r.code}:${r.message}`;
    if (mem.noticed.includes(key)) continue;
    mem.noticed = [...mem.noticed, key].slice(-20);
    // The id travels in headers (Standard Webhooks' webhook-id): ASCII only, so the message is hashed.
    const id = `${f.monitor.id}:${r.code}:${fnv1a(r.message).toString(36)}`;
    out.push(
      event(
        f,
        id,
        kind,
        kind.startsWith("validator_") ? noticeSeverity(r) : "info",
        f.now,
        `${f.monitor.name}: ${r.message}`,
        {
          reasons: [r.message],
        },
      ),
    );
  }
  return out;
}

/** Days before expiry at which a certificate is announced, each once per certificate. */
export const CERT_NOTICE_DAYS = [30, 14, 7, 1] as const;

function certNotice(mem: AlertMemory, f: StepFacts): AlertEvent | undefined {
  if (!f.cert) return undefined;
  const left = f.cert.earliestDaysLeft;
  const bucket = [...CERT_NOTICE_DAYS].reverse().find((d) => left <= d);
  if (bucket === undefined) return undefined;
  const key = `cert_expiring:${f.cert.earliestNotAfter}:${bucket}`;
  if (mem.noticed.includes(key)) return undefined;
  mem.noticed = [...mem.noticed, key].slice(-20);
  const when = left <= 0 ? "has expired" : `expires in ${left < 2 ? left.toFixed(1) : Math.floor(left)} days`;
  const severity: AlertSeverity = bucket <= 1 ? "critical" : bucket <= 14 ? "warning" : "info";
  return event(
    f,
    `${f.monitor.id}:${key}`,
    "cert_expiring",
    severity,
    f.now,
    `${f.monitor.name}: certificate ${when}`,
    {
      reasons: [`certificate ${when} (${new Date(f.cert.earliestNotAfter).toISOString()})`],
    },
  );
}

/**
 * The alerts one step of a monitor produces. Pure: memory in, memory out. An incident yields
 * one alert per transition (opened, escalated, recovered) with a stable id; a change of error
 * text inside an open incident yields nothing; while a monitor flaps, one "flapping" alert
 * replaces the stream of down/recovered alerts; planned maintenance silences everything.
 */
export function decideAlerts(
  memory: AlertMemory,
  settings: AlertSettings,
  facts: StepFacts,
  inMaintenance: boolean,
): { memory: AlertMemory; events: AlertEvent[] } {
  const mem: AlertMemory = { ...memory, transitions: [...memory.transitions], noticed: [...memory.noticed] };
  const flapping = trackFlapping(mem, settings, facts);
  if (inMaintenance) return { memory: mem, events: [] };
  const events: AlertEvent[] = [];
  if (flapping) events.push(flapping);
  else if (mem.flappingSince === undefined && facts.incidentChange) {
    const alert = incidentAlert(facts, facts.incidentChange);
    if (alert) events.push(alert);
  }
  if (facts.incidentChange?.closedAt === undefined && facts.incidentChange) mem.lastReminderAt = facts.now;
  events.push(...notices(mem, facts));
  const cert = certNotice(mem, facts);
  if (cert) events.push(cert);
  return { memory: mem, events };
}

/**
 * Time-based alerts, from the periodic sweep: reminders for a long incident, and the end of
 * flapping once the monitor has kept one state for a whole window.
 */
export function decideTimedAlerts(
  memory: AlertMemory,
  settings: AlertSettings,
  facts: Omit<StepFacts, "instantReasons" | "changedFrom" | "incidentChange">,
  open: Incident | undefined,
  inMaintenance: boolean,
): { memory: AlertMemory; events: AlertEvent[] } {
  const mem: AlertMemory = { ...memory, transitions: [...memory.transitions], noticed: [...memory.noticed] };
  const events: AlertEvent[] = [];
  const window = settings.flapping.windowMin * 60_000;
  const last = mem.transitions.at(-1);
  if (mem.flappingSince !== undefined && (last === undefined || facts.now - last >= window)) {
    const since = mem.flappingSince;
    mem.flappingSince = undefined;
    mem.transitions = [];
    if (!inMaintenance) {
      events.push(
        event(
          facts,
          `${facts.monitor.id}:stable:${since}`,
          "stable",
          "info",
          facts.now,
          `${facts.monitor.name} is stable again (${facts.overall.state})`,
        ),
      );
    }
  }
  const every = settings.reminderEveryMin * 60_000;
  if (open && every > 0 && mem.flappingSince === undefined && !inMaintenance) {
    const lastSent = mem.lastReminderAt ?? open.openedAt;
    if (facts.now - lastSent >= every) {
      const n = Math.floor((facts.now - open.openedAt) / every);
      mem.lastReminderAt = facts.now;
      events.push(
        event(
          facts,
          `${open.id}:reminder:${n}`,
          "reminder",
          open.state === "down" ? "critical" : "warning",
          facts.now,
          `${facts.monitor.name} is still ${open.state} (for ${Math.round((facts.now - open.openedAt) / 60_000)} min)`,
          { incidentId: open.id },
        ),
      );
    }
  }
  return { memory: mem, events };
}
