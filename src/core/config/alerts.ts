import { z } from "zod";
import { AlertKindSchema, AlertSeveritySchema } from "../alerts/event.ts";
import { SecretRefSchema, withoutCredentials } from "./common.ts";

/** A numeric chat id (groups and channels are negative) or a public channel's @username. */
const TelegramChatId = z.union([
  z
    .number()
    .int()
    .refine((n) => n !== 0, "a Telegram chat id is not 0"),
  z
    .string()
    .regex(
      /^(-?[1-9]\d{0,19}|@[A-Za-z][A-Za-z0-9_]{4,31})$/,
      "a numeric chat id (e.g. -1001234567890) or a channel @username",
    ),
]);

const NtfyPriority = z.number().int().min(1).max(5);

const ChannelId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, '-' and '_'");

/** Webhook URLs carry their own credentials, so they are always secrets, never inline. */
export const ChannelSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("slack"), id: ChannelId, url: SecretRefSchema }),
  z.strictObject({ type: z.literal("discord"), id: ChannelId, url: SecretRefSchema }),
  z.strictObject({
    type: z.literal("webhook"),
    id: ChannelId,
    url: SecretRefSchema,
    signingSecret: SecretRefSchema.describe("Standard Webhooks secret (whsec_… base64)"),
  }),
  z.strictObject({
    type: z.literal("pagerduty"),
    id: ChannelId,
    routingKey: SecretRefSchema,
    url: withoutCredentials(z.url({ protocol: /^https?$/ })).default(
      "https://events.pagerduty.com/v2/enqueue",
    ),
  }),
  z.strictObject({
    type: z.literal("telegram"),
    id: ChannelId,
    botToken: SecretRefSchema.describe("The bot's token from @BotFather (123456:ABC…)"),
    chatId: TelegramChatId,
    threadId: z.number().int().min(1).optional().describe("A forum topic's message_thread_id"),
    apiUrl: withoutCredentials(z.url({ protocol: /^https?$/ }))
      .default("https://api.telegram.org")
      .describe("Bot API server; a self-hosted one or a test receiver"),
  }),
  z.strictObject({
    type: z.literal("ntfy"),
    id: ChannelId,
    topicUrl: z
      .union([withoutCredentials(z.url({ protocol: /^https?$/ })), SecretRefSchema])
      .describe(
        "https://ntfy.sh/<topic> or a topic on your own server; a secret when the topic name is private",
      ),
    token: SecretRefSchema.optional().describe("Access token (tk_…) for a protected topic"),
    priorities: z
      .strictObject({
        critical: NtfyPriority.default(5),
        warning: NtfyPriority.default(4),
        info: NtfyPriority.default(3),
      })
      .prefault({})
      .describe("ntfy priority (1 min … 5 urgent) per alert severity; recoveries use info's"),
  }),
]);
export type Channel = z.infer<typeof ChannelSchema>;

export const RouteSchema = z.strictObject({
  channels: z.array(ChannelId).min(1),
  monitors: z.array(z.string()).optional().describe("Only these monitor ids"),
  tags: z.record(z.string(), z.string()).optional().describe("Only monitors whose tags all match"),
  minSeverity: AlertSeveritySchema.default("warning"),
  kinds: z.array(AlertKindSchema).optional().describe("Only these alert kinds"),
});
export type Route = z.infer<typeof RouteSchema>;

export const AlertsSchema = z
  .strictObject({
    channels: z.array(ChannelSchema).default([]),
    routes: z
      .array(RouteSchema)
      .optional()
      .describe("Unset: every channel gets every alert of severity warning or above"),
    reminderEveryMin: z.number().int().min(0).max(10_080).default(60).describe("0 turns reminders off"),
    flapping: z
      .strictObject({
        transitions: z.number().int().min(2).max(100).default(4),
        windowMin: z.number().int().min(1).max(1440).default(15),
      })
      .prefault({}),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(8)
      .describe("Deliveries after which an alert is dead-lettered"),
  })
  .prefault({})
  .superRefine((a, ctx) => {
    const ids = new Set<string>();
    a.channels.forEach((c, i) => {
      if (ids.has(c.id))
        ctx.addIssue({
          code: "custom",
          path: ["channels", i, "id"],
          message: `duplicate channel id '${c.id}'`,
        });
      ids.add(c.id);
    });
    a.routes?.forEach((r, i) => {
      r.channels.forEach((c, j) => {
        if (!ids.has(c))
          ctx.addIssue({ code: "custom", path: ["routes", i, "channels", j], message: `no channel '${c}'` });
      });
    });
  });
export type Alerts = z.infer<typeof AlertsSchema>;
