import type { AlertEvent, AlertKind } from "../event.ts";

/**
 * Shared wording for the chat providers: how an alert looks (tone → colour and emoji), what it is
 * called, and plain-text helpers. No escaping here: each provider escapes for its own target.
 */

/** down red, degraded amber, recovered green, info blue. */
export type Tone = "down" | "degraded" | "recovered" | "info";

export function toneOf(event: AlertEvent): Tone {
  switch (event.kind) {
    case "down":
      return "down";
    case "degraded":
    case "flapping":
    case "monitoring_degraded":
      return "degraded";
    case "recovered":
    case "stable":
    case "monitoring_recovered":
      return "recovered";
    case "reminder":
      if (event.state === "down") return "down";
      if (event.state === "degraded") return "degraded";
      return bySeverity(event);
    default:
      return bySeverity(event);
  }
}

function bySeverity(event: AlertEvent): Tone {
  if (event.severity === "critical") return "down";
  if (event.severity === "warning") return "degraded";
  return "info";
}

export const TONE_EMOJI: Record<Tone, string> = {
  down: "🔴",
  degraded: "🟠",
  recovered: "🟢",
  info: "🔵",
};

/** Discord embed colours (24-bit RGB). */
export const TONE_COLOR: Record<Tone, number> = {
  down: 0xd32f2f,
  degraded: 0xffa000,
  recovered: 0x2e7d32,
  info: 0x1e88e5,
};

export const KIND_LABEL: Record<AlertKind, string> = {
  down: "Down",
  recovered: "Recovered",
  degraded: "Degraded",
  reminder: "Still failing",
  flapping: "Flapping",
  stable: "Stable again",
  cert_expiring: "Certificate expiring",
  upgrade_scheduled: "Upgrade scheduled",
  version_drift: "Version drift",
  validator_status: "Validator status",
  validator_eviction: "Validator leaving the set",
  monitoring_degraded: "Monitoring degraded",
  monitoring_recovered: "Monitoring recovered",
  sla_report: "Monthly SLA report",
};

/** 3725 → "1h 2m 5s"; 0 → "0s". Days for long incidents, at most three units. */
export function formatDuration(totalSec: number): string {
  let s = Math.max(0, Math.floor(totalSec));
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n > 0 || (unit === "s" && parts.length === 0)) parts.push(`${n}${unit}`);
  }
  return parts.slice(0, 3).join(" ");
}

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with "…" when cut. Never splits a surrogate
 * pair, and never leaves a dangling escape: with `escapeChar` set, a cut that would end in an odd
 * run of it drops one (so "\\*" is never cut to a lone "\\").
 */
export function truncate(text: string, max: number, escapeChar?: string): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  if (escapeChar !== undefined) {
    let run = 0;
    while (run < cut.length && cut[cut.length - 1 - run] === escapeChar) run++;
    if (run % 2 === 1) cut = cut.slice(0, -1);
  }
  return `${cut}…`;
}

/** "weur: down, enam: up" style lines for vantages. */
export function vantageLines(event: AlertEvent): string[] {
  return (event.vantages ?? []).map((v) => `${v.region}: ${v.state}`);
}

/** The request's target URL from a secret: must be an absolute http(s) URL. Never echoes the value. */
export function secretUrl(value: string, secretName: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new AlertConfigError(`secret ${secretName} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AlertConfigError(`secret ${secretName} is not an http(s) URL`);
  }
  return url.toString();
}

/**
 * A channel cannot be rendered because of its configuration (a secret of the wrong shape).
 * Messages name the secret, never its value.
 */
export class AlertConfigError extends Error {
  override name = "AlertConfigError";
}
