import type { Channel } from "../../config/alerts.ts";
import type { AlertEvent } from "../event.ts";
import type { AlertProvider, OutgoingRequest } from "./contract.ts";
import {
  formatDuration,
  KIND_LABEL,
  secretUrl,
  TONE_COLOR,
  TONE_EMOJI,
  toneOf,
  truncate,
  vantageLines,
} from "./format.ts";

type DiscordChannel = Extract<Channel, { type: "discord" }>;

/** Discord's documented embed limits (characters). */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;

/**
 * Backslash-escapes Discord markdown in a user string: emphasis, code, spoilers, quotes, masked
 * links, mentions (`@everyone`, `<@id>`, `<#id>`, `<t:…>`) and line-start headings and lists.
 * Discord drops a backslash before any punctuation, so the text still reads the same.
 */
export function escapeDiscord(text: string): string {
  return text
    .replace(/[\\*_~`|<>[\]()@]/g, "\\$&")
    .replace(/^(\s*)([#+-]|\d+\.)/gm, (_m, space: string, marker: string) =>
      marker.endsWith(".") ? `${space}${marker.slice(0, -1)}\\.` : `${space}\\${marker}`,
    );
}

export interface DiscordEmbedField {
  name: string;
  value: string;
  inline?: boolean;
}
export interface DiscordEmbed {
  title: string;
  description?: string;
  color: number;
  fields: DiscordEmbedField[];
  timestamp?: string;
  footer: { text: string };
}
export interface DiscordMessage {
  username: string;
  /** Empty `parse`: nothing in the message may ping anyone, whatever a node is called. */
  allowed_mentions: { parse: [] };
  embeds: [DiscordEmbed];
}

const cut = (escaped: string, max: number) => truncate(escaped, max, "\\");
const esc = (text: string, max: number) => cut(escapeDiscord(text), max);

export function discordMessage(event: AlertEvent): DiscordMessage {
  const tone = toneOf(event);
  const emoji = TONE_EMOJI[tone];
  const label = KIND_LABEL[event.kind];
  const L = DISCORD_LIMITS;

  const title = `${emoji} ${cut(escapeDiscord(event.title), L.title - emoji.length - 1)}`;

  const lines: string[] = [];
  const m = event.monitor;
  if (m) {
    lines.push(`**Monitor:** ${escapeDiscord(m.name)}`);
    lines.push(`**Chain:** ${escapeDiscord(`${m.chain} (${m.kind})`)}`);
  }
  lines.push(`**Alert:** ${label}`);
  if (event.state) lines.push(`**State:** ${event.state}`);
  let description = cut(lines.join("\n"), L.description);

  const fields: DiscordEmbedField[] = [];
  if (event.durationSec !== undefined) {
    fields.push({ name: "Duration", value: formatDuration(event.durationSec), inline: true });
  }
  if (event.reasons.length > 0) {
    fields.push({ name: "Reasons", value: esc(event.reasons.map((r) => `• ${r}`).join("\n"), L.fieldValue) });
  }
  const vantages = event.vantages ?? [];
  const room = L.fields - fields.length;
  const shown = vantages.length > room ? vantages.slice(0, room - 1) : vantages;
  for (const v of shown) {
    fields.push({ name: esc(v.region, L.fieldName), value: `${v.state}`, inline: true });
  }
  if (shown.length < vantages.length) {
    const rest = vantageLines(event).slice(shown.length);
    fields.push({ name: `+${rest.length} more vantages`, value: esc(rest.join("\n"), L.fieldValue) });
  }

  const footerParts = ["chain-uptime", label];
  if (event.incidentId) footerParts.push(`incident ${event.incidentId}`);
  const footer = { text: truncate(footerParts.join(" · "), L.footer) };

  // The sum of all embed text must stay within 6000: shorten the description, then drop fields.
  const size = () =>
    title.length +
    description.length +
    footer.text.length +
    fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  let over = size() - L.total;
  if (over > 0) {
    description = cut(description, Math.max(0, description.length - over));
    over = size() - L.total;
  }
  while (over > 0 && fields.length > 0) {
    fields.pop();
    over = size() - L.total;
  }

  const embed: DiscordEmbed = { title, color: TONE_COLOR[tone], fields, footer };
  if (description !== "") embed.description = description;
  if (!Number.isNaN(Date.parse(event.at))) embed.timestamp = new Date(event.at).toISOString();
  return { username: "chain-uptime", allowed_mentions: { parse: [] }, embeds: [embed] };
}

/** Discord channel webhook (`https://discord.com/api/webhooks/…`, kept as a secret). */
export const discordProvider: AlertProvider<DiscordChannel> = {
  async render(event, channel, secret): Promise<OutgoingRequest> {
    const url = secretUrl(secret(channel.url), channel.url.secret);
    return {
      url,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(discordMessage(event)),
    };
  },
};
