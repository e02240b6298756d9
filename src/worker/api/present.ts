import type { CheckerHealth } from "../../core/checker-health.ts";
import type { Monitor } from "../../core/config/schema.ts";
import { validatorSubject } from "../../core/kinds/index.ts";
import type { PublicMonitor } from "../../core/public.ts";
import { availability, type Transition, timeInStates } from "../../core/uptime.ts";
import type { MonitorView } from "../state/shard-report.ts";

const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

/** Where a public monitor points, without credentials or query strings (keys hide there); push: nowhere. */
export function publicTarget(check: Monitor["check"]): string | undefined {
  if (check.kind === "push") return undefined;
  // A validator check's subject is its key (public on chain), not the endpoints it asks.
  if (check.kind === "casper-validator") return `validator ${check.publicKey}`;
  if (check.kind === "nano-representative") return `representative ${check.account}`;
  if (!("url" in check)) return `${check.host}:${check.port}`;
  const u = new URL(check.url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

export function uptimeOf(timeline: readonly Transition[] | undefined, now: number): PublicMonitor["uptime"] {
  const window = (hours: number) => availability(timeInStates(timeline ?? [], now - hours * HOUR, now));
  return { "24h": window(24), "7d": window(24 * 7), "30d": window(24 * 30) };
}

/** A monitor as the public sees it: config names, live state, uptime as of `now`. */
export function presentMonitor(
  monitor: Monitor,
  view: MonitorView | undefined,
  timeline: readonly Transition[] | undefined,
  now: number,
): PublicMonitor {
  const subject = validatorSubject(monitor.check);
  const base = {
    id: monitor.id,
    name: monitor.name,
    chain: monitor.chain,
    kind: monitor.check.kind,
    uptime: uptimeOf(timeline, now),
    ...(monitor.public && monitor.check.kind !== "push" ? { target: publicTarget(monitor.check) } : {}),
    ...(subject ? { validator: subject } : {}),
  };
  if (!view) return { ...base, state: "unknown", since: null, reasons: ["no results yet"], vantages: [] };
  return {
    ...base,
    state: view.state,
    since: iso(view.since),
    reasons: view.reasons,
    height: view.height,
    latencyMs: view.latencyMs,
    ...(view.certNotAfter === undefined ? {} : { certExpiresAt: iso(view.certNotAfter) }),
    vantages: view.vantages.map((v) => ({
      region: v.region,
      state: v.state,
      since: iso(v.since),
      checkedAt: iso(v.checkedAt),
      latencyMs: v.latencyMs,
      height: v.height,
      reasons: v.reasons,
    })),
  };
}

/** "Monitoring degraded" when the checker itself has a problem, so a stale green is never trusted. */
export function presentHealth(h: CheckerHealth | undefined) {
  return h
    ? { state: h.state, since: iso(h.since), problems: h.problems }
    : { state: "ok" as const, since: null, problems: [] as string[] };
}
