import type { Channel } from "../../config/alerts.ts";
import type { AlertEvent } from "../event.ts";
import type { AlertProvider, OutgoingRequest } from "./contract.ts";
import {
  AlertConfigError,
  formatDuration,
  KIND_LABEL,
  TONE_EMOJI,
  toneOf,
  truncate,
  vantageLines,
} from "./format.ts";

type TelegramChannel = Extract<Channel, { type: "telegram" }>;

/** Bot API: a message's text is at most 4096 characters after entities are parsed. */
export const TELEGRAM_TEXT_MAX = 4096;
const REASON_MAX = 300;
const MAX_REASONS = 10;

/**
 * The HTML parse mode treats only `<`, `>` and `&` as markup in text; as entities they show
 * literally, so no node name or reason can add a link, a mention or formatting.
 */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A line of the message: its markup and the text Telegram will count. */
interface Line {
  html: string;
  plain: string;
}
const text = (plain: string): Line => ({ html: escapeTelegramHtml(plain), plain });
const bold = (plain: string): Line => ({ html: `<b>${escapeTelegramHtml(plain)}</b>`, plain });
const italic = (plain: string): Line => ({ html: `<i>${escapeTelegramHtml(plain)}</i>`, plain });

export interface TelegramMessage {
  chat_id: number | string;
  message_thread_id?: number;
  text: string;
  parse_mode: "HTML";
  link_preview_options: { is_disabled: true };
}

export function telegramMessage(event: AlertEvent, channel: Pick<TelegramChannel, "chatId" | "threadId">) {
  const tone = toneOf(event);
  const label = KIND_LABEL[event.kind];
  const head: Line[] = [bold(`${TONE_EMOJI[tone]} ${truncate(event.title, 300)}`)];
  const m = event.monitor;
  if (m) head.push(text(`Monitor: ${truncate(m.name, 120)} (${m.chain} · ${m.kind})`));
  if (event.state) head.push(text(`State: ${event.state}`));
  if (event.durationSec !== undefined) head.push(text(`Duration: ${formatDuration(event.durationSec)}`));
  const vantages = vantageLines(event);
  if (vantages.length > 0) head.push(text(`Vantages: ${truncate(vantages.join(", "), 600)}`));
  const reasons = event.reasons.slice(0, MAX_REASONS).map((r) => text(`• ${truncate(r, REASON_MAX)}`));
  const foot = [label, ...(event.incidentId ? [`incident ${event.incidentId}`] : [])];
  const tail = italic(`chain-uptime · ${truncate(foot.join(" · "), 200)}`);

  // Bounded by construction; drop reasons from the end should the bounds ever be raised.
  const size = (lines: Line[]) => lines.reduce((n, l) => n + l.plain.length + 1, 0);
  while (reasons.length > 0 && size([...head, ...reasons, tail]) > TELEGRAM_TEXT_MAX) reasons.pop();
  const message: TelegramMessage = {
    chat_id: channel.chatId,
    text: [...head, ...reasons, tail].map((l) => l.html).join("\n"),
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
  };
  if (channel.threadId !== undefined) message.message_thread_id = channel.threadId;
  return message;
}

const BOT_TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;

/** Bot API `sendMessage`; the token is part of the URL, so the URL is never logged (errors are redacted). */
export const telegramProvider: AlertProvider<TelegramChannel> = {
  async render(event, channel, secret): Promise<OutgoingRequest> {
    const token = secret(channel.botToken).trim();
    if (!BOT_TOKEN.test(token)) {
      throw new AlertConfigError(
        `secret ${channel.botToken.secret} is not a Telegram bot token (123456:ABC…)`,
      );
    }
    return {
      url: `${channel.apiUrl.replace(/\/+$/, "")}/bot${token}/sendMessage`,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(telegramMessage(event, channel)),
    };
  },
};
