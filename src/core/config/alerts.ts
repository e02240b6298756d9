import { z } from "zod";
import { AlertKindSchema, AlertSeveritySchema } from "../alerts/event.ts";
import { SecretRefSchema, withoutCredentials } from "./common.ts";

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
