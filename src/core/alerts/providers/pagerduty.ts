import type { Channel } from "../../config/alerts.ts";
import type { AlertEvent, AlertKind } from "../event.ts";
import type { AlertProvider, OutgoingRequest } from "./contract.ts";
import { AlertConfigError, formatDuration, KIND_LABEL, truncate } from "./format.ts";

type PagerDutyChannel = Extract<Channel, { type: "pagerduty" }>;

/** Which alert kinds open (or update) a PagerDuty alert and which close it. */
export const PAGERDUTY_ACTION: Record<AlertKind, "trigger" | "resolve"> = {
  down: "trigger",
  degraded: "trigger",
  reminder: "trigger",
  flapping: "trigger",
  monitoring_degraded: "trigger",
  cert_expiring: "trigger",
  upgrade_scheduled: "trigger",
  version_drift: "trigger",
  validator_status: "trigger",
  validator_eviction: "trigger",
  recovered: "resolve",
  stable: "resolve",
  monitoring_recovered: "resolve",
  // Route reports to chat or webhooks; sent to PagerDuty they are a notice of their own.
  sla_report: "trigger",
};

/** Notices that are not part of an outage get their own PagerDuty alert per monitor and kind. */
const NOTICE_KINDS: ReadonlySet<AlertKind> = new Set([
  "cert_expiring",
  "upgrade_scheduled",
  "version_drift",
  "validator_status",
  "validator_eviction",
  "sla_report",
]);

/**
 * The key that pairs a trigger with its resolve: the incident id when there is one (down,
 * reminder and recovered of one incident share it), else the monitor, else the checker itself.
 * Checker alerts should carry a stable incidentId per problem (e.g. "checker:scheduler") so that
 * monitoring_degraded and monitoring_recovered pair up per problem.
 */
export function pagerDutyDedupKey(event: AlertEvent): string {
  let key: string;
  if (NOTICE_KINDS.has(event.kind)) key = `${event.monitor?.id ?? "chain-uptime"}:${event.kind}`;
  else if (event.incidentId) key = event.incidentId;
  else if (event.monitor) key = `monitor:${event.monitor.id}`;
  else key = "chain-uptime:monitoring";
  return truncate(key, 255);
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: "trigger" | "resolve";
  dedup_key: string;
  client: string;
  payload: {
    summary: string;
    source: string;
    severity: "critical" | "error" | "warning" | "info";
    timestamp?: string;
    component?: string;
    group?: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
}

/** The Events API v2 body. PagerDuty renders no markup, so strings go as they are (JSON-encoded). */
export function pagerDutyEvent(event: AlertEvent, routingKey: string): PagerDutyEvent {
  const m = event.monitor;
  const details: Record<string, unknown> = {
    alert: KIND_LABEL[event.kind],
    event_id: event.id,
    reasons: event.reasons,
  };
  if (m) {
    details.monitor = m.name;
    details.monitor_id = m.id;
    details.chain = m.chain;
    details.check = m.kind;
    details.tags = m.tags;
  }
  if (event.state) details.state = event.state;
  if (event.incidentId) details.incident_id = event.incidentId;
  if (event.durationSec !== undefined) {
    details.duration_sec = event.durationSec;
    details.duration = formatDuration(event.durationSec);
  }
  if (event.vantages) details.vantages = event.vantages;

  const payload: PagerDutyEvent["payload"] = {
    summary: truncate(event.title || KIND_LABEL[event.kind], 1024),
    source: m ? m.id : "chain-uptime",
    severity: event.severity,
    class: event.kind,
    custom_details: details,
  };
  if (!Number.isNaN(Date.parse(event.at))) payload.timestamp = new Date(event.at).toISOString();
  if (m) payload.component = m.chain;
  if (m?.tags.network) payload.group = m.tags.network;

  return {
    routing_key: routingKey,
    event_action: PAGERDUTY_ACTION[event.kind],
    dedup_key: pagerDutyDedupKey(event),
    client: "chain-uptime",
    payload,
  };
}

/** PagerDuty Events API v2 (`POST /v2/enqueue`, 202 on success). */
export const pagerDutyProvider: AlertProvider<PagerDutyChannel> = {
  async render(event, channel, secret): Promise<OutgoingRequest> {
    const routingKey = secret(channel.routingKey).trim();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(routingKey)) {
      throw new AlertConfigError(`secret ${channel.routingKey.secret} is not a PagerDuty routing key`);
    }
    return {
      url: channel.url,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(pagerDutyEvent(event, routingKey)),
    };
  },
};
