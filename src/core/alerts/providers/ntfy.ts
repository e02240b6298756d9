import type { Channel } from "../../config/alerts.ts";
import type { AlertEvent } from "../event.ts";
import type { AlertProvider, OutgoingRequest, SecretLookup } from "./contract.ts";
import { AlertConfigError, formatDuration, type Tone, toneOf, truncate, vantageLines } from "./format.ts";

type NtfyChannel = Extract<Channel, { type: "ntfy" }>;

/** Tags that match an emoji short code show as that emoji in front of the title. */
const TONE_TAG: Record<Tone, string> = {
  down: "red_circle",
  degraded: "orange_circle",
  recovered: "green_circle",
  info: "large_blue_circle",
};

/** ntfy's JSON publishing: the topic goes in the body, the request to the server's root. */
export interface NtfyMessage {
  topic: string;
  title: string;
  message: string;
  priority: number;
  tags: string[];
}

/** Splits a topic URL into the server's root and the topic (its last path segment). */
export function ntfyTopic(raw: string, what: string): { server: string; topic: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AlertConfigError(`${what} is not a URL`);
  }
  const segments = url.pathname.split("/").filter((s) => s !== "");
  const topic = segments.pop();
  if ((url.protocol !== "https:" && url.protocol !== "http:") || topic === undefined) {
    throw new AlertConfigError(`${what} is not an ntfy topic URL (https://ntfy.sh/<topic>)`);
  }
  if (!/^[-_A-Za-z0-9]{1,64}$/.test(topic)) {
    throw new AlertConfigError(`${what}: a topic is 1-64 letters, digits, '-' or '_'`);
  }
  return { server: `${url.origin}/${segments.map((s) => `${s}/`).join("")}`, topic };
}

/** Plain text only (no markdown flag), so nothing in a node's name is read as markup. */
export function ntfyMessage(event: AlertEvent, channel: Pick<NtfyChannel, "priorities">, topic: string) {
  const tone = toneOf(event);
  const lines: string[] = [];
  const m = event.monitor;
  if (m) lines.push(`${m.name} (${m.chain} · ${m.kind})`);
  if (event.state) lines.push(`State: ${event.state}`);
  if (event.durationSec !== undefined) lines.push(`Duration: ${formatDuration(event.durationSec)}`);
  lines.push(...event.reasons.slice(0, 10).map((r) => `• ${truncate(r, 300)}`));
  const vantages = vantageLines(event);
  if (vantages.length > 0) lines.push(`Vantages: ${vantages.join(", ")}`);
  if (event.incidentId) lines.push(`Incident ${event.incidentId}`);
  const severity = tone === "recovered" ? "info" : event.severity;
  const message: NtfyMessage = {
    topic,
    title: truncate(event.title, 250),
    // ntfy turns messages over 4 KiB into attachments; stay well below.
    message: truncate(lines.join("\n"), 3500),
    priority: channel.priorities[severity],
    tags: [TONE_TAG[tone], event.kind, ...(m ? [m.chain] : [])],
  };
  return message;
}

function topicOf(channel: NtfyChannel, secret: SecretLookup) {
  return typeof channel.topicUrl === "string"
    ? ntfyTopic(channel.topicUrl, `channel topicUrl`)
    : ntfyTopic(secret(channel.topicUrl), `secret ${channel.topicUrl.secret}`);
}

/** Publishes to an ntfy topic on ntfy.sh or a server of your own. */
export const ntfyProvider: AlertProvider<NtfyChannel> = {
  async render(event, channel, secret): Promise<OutgoingRequest> {
    const { server, topic } = topicOf(channel, secret);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (channel.token) headers.authorization = `Bearer ${secret(channel.token).trim()}`;
    return {
      url: server,
      method: "POST",
      headers,
      body: JSON.stringify(ntfyMessage(event, channel, topic)),
    };
  },
};
