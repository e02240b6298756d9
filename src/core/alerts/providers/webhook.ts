import type { Channel } from "../../config/alerts.ts";
import { type AlertEvent, AlertEventSchema } from "../event.ts";
import { standardWebhookHeaders, WebhookSecretError } from "../standard-webhooks.ts";
import type { AlertProvider, OutgoingRequest } from "./contract.ts";
import { AlertConfigError, secretUrl } from "./format.ts";

type WebhookChannel = Extract<Channel, { type: "webhook" }>;

/**
 * Generic webhook: the body is exactly the AlertEvent as JSON (schema in schemas/), signed with
 * the Standard Webhooks scheme. `webhook-id` is the event id, stable across retries, so a consumer
 * dedupes by it; `webhook-timestamp` is the time of this attempt, so each retry is signed anew.
 * An event that does not match AlertEventSchema throws (a ZodError: a bug upstream, not config).
 */
export const webhookProvider: AlertProvider<WebhookChannel> = {
  async render(event: AlertEvent, channel, secret, now): Promise<OutgoingRequest> {
    const url = secretUrl(secret(channel.url), channel.url.secret);
    const signingSecret = secret(channel.signingSecret);
    // Exactly the documented shape: fields outside the schema never leave the system.
    const body = JSON.stringify(AlertEventSchema.parse(event));
    let signed: Awaited<ReturnType<typeof standardWebhookHeaders>>;
    try {
      signed = await standardWebhookHeaders(event.id, body, signingSecret, now);
    } catch (error) {
      if (error instanceof WebhookSecretError) {
        throw new AlertConfigError(`secret ${channel.signingSecret.secret}: ${error.message}`);
      }
      throw error;
    }
    return {
      url,
      method: "POST",
      headers: { "content-type": "application/json", ...signed },
      body,
    };
  },
};
