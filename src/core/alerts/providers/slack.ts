import type { Channel } from "../../config/alerts.ts";
import type { AlertEvent } from "../event.ts";
import type { AlertProvider, OutgoingRequest } from "./contract.ts";
import {
  formatDuration,
  KIND_LABEL,
  secretUrl,
  TONE_EMOJI,
  toneOf,
  truncate,
  vantageLines,
} from "./format.ts";

type SlackChannel = Extract<Channel, { type: "slack" }>;

/**
 * Slack uses `&`, `<` and `>` as control characters in every text object (`<!everyone>`,
 * `<@U123>`, `<https://x|label>`); replaced by entities, Slack shows them literally.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// Block Kit limits: header text 150, section text 3000, a field 2000, 10 fields, context 10 elements.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const MAX_FIELDS = 10;
const MAX_REASON_LINES = 20;

/**
 * Escapes first, then cuts: a cut never splits an entity, because it is undone when the result
 * ends inside one ("&am…" → "…").
 */
function slackText(text: string, max: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= max) return escaped;
  const cut = truncate(escaped, max);
  return cut.replace(/&[a-z]{0,3}…$/, "…");
}

interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}
interface Mrkdwn {
  type: "mrkdwn";
  text: string;
  verbatim?: boolean;
}
type Block =
  | { type: "header"; text: PlainText }
  | { type: "section"; text?: PlainText | Mrkdwn; fields?: (PlainText | Mrkdwn)[] }
  | { type: "context"; elements: (PlainText | Mrkdwn)[] };

export interface SlackMessage {
  /** Notification and accessibility fallback (Slack parses it as mrkdwn, so it is escaped too). */
  text: string;
  blocks: Block[];
}

/**
 * User-provided strings (monitor names, reasons, tags, the title) go only into `plain_text`
 * objects, escaped: no mention, link or formatting can be injected. Our own labels are the only
 * mrkdwn.
 */
export function slackMessage(event: AlertEvent): SlackMessage {
  const tone = toneOf(event);
  const emoji = TONE_EMOJI[tone];
  const label = KIND_LABEL[event.kind];
  const plain = (text: string, max: number): PlainText => ({
    type: "plain_text",
    text: slackText(text, max),
  });

  const blocks: Block[] = [
    { type: "header", text: { ...plain(`${emoji} ${event.title}`, HEADER_MAX), emoji: true } },
  ];

  const fields: PlainText[] = [];
  const m = event.monitor;
  if (m) {
    fields.push(plain(`Monitor: ${m.name}`, FIELD_MAX));
    fields.push(plain(`Chain: ${m.chain} (${m.kind})`, FIELD_MAX));
  }
  fields.push(plain(`Alert: ${label}`, FIELD_MAX));
  if (event.state) fields.push(plain(`State: ${event.state}`, FIELD_MAX));
  if (event.durationSec !== undefined)
    fields.push(plain(`Duration: ${formatDuration(event.durationSec)}`, FIELD_MAX));
  const vantages = vantageLines(event);
  if (vantages.length > 0) fields.push(plain(`Vantages:\n${vantages.join("\n")}`, FIELD_MAX));
  blocks.push({ type: "section", fields: fields.slice(0, MAX_FIELDS) });

  if (event.reasons.length > 0) {
    const lines = event.reasons.slice(0, MAX_REASON_LINES).map((r) => `• ${r}`);
    blocks.push({ type: "section", text: plain(lines.join("\n"), SECTION_MAX) });
  }

  const context = [`${emoji} ${label}`, `at ${event.at}`];
  if (event.incidentId) context.push(`incident ${event.incidentId}`);
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: "*chain-uptime*" }, plain(context.join(" · "), SECTION_MAX)],
  });

  const fallback = m ? `${emoji} ${label}: ${m.name} — ${event.title}` : `${emoji} ${label}: ${event.title}`;
  return { text: slackText(fallback, SECTION_MAX), blocks };
}

/** Slack incoming webhook (`https://hooks.slack.com/services/…`, kept as a secret). */
export const slackProvider: AlertProvider<SlackChannel> = {
  async render(event, channel, secret): Promise<OutgoingRequest> {
    const url = secretUrl(secret(channel.url), channel.url.secret);
    return {
      url,
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(slackMessage(event)),
    };
  },
};
