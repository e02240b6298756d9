import type { Alerts, Route } from "../config/alerts.ts";
import { type AlertEvent, SEVERITY_RANK } from "./event.ts";

function matches(route: Route, event: AlertEvent): boolean {
  if (SEVERITY_RANK[event.severity] < SEVERITY_RANK[route.minSeverity]) {
    // A recovery closes what a routed alert opened: it follows the route whatever its severity.
    if (!(event.kind === "recovered" || event.kind === "stable" || event.kind === "monitoring_recovered"))
      return false;
  }
  if (route.kinds && !route.kinds.includes(event.kind)) return false;
  if (route.monitors && !(event.monitor && route.monitors.includes(event.monitor.id))) return false;
  if (route.tags) {
    const tags = event.monitor?.tags ?? {};
    for (const [k, v] of Object.entries(route.tags)) if (tags[k] !== v) return false;
  }
  return true;
}

/** The channels an alert goes to: every matching route's channels, each once. */
export function routeAlert(event: AlertEvent, alerts: Alerts): string[] {
  const routes: Route[] = alerts.routes ?? [
    { channels: alerts.channels.map((c) => c.id), minSeverity: "warning" },
  ];
  const out = new Set<string>();
  for (const r of routes) if (r.channels.length && matches(r, event)) for (const c of r.channels) out.add(c);
  return [...out];
}
