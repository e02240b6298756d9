import type { Channel } from "../../config/alerts.ts";
import type { AlertEvent } from "../event.ts";
import type { AlertProvider, OutgoingRequest, SecretLookup } from "./contract.ts";
import { discordProvider } from "./discord.ts";
import { AlertConfigError } from "./format.ts";
import { ntfyProvider } from "./ntfy.ts";
import { pagerDutyProvider } from "./pagerduty.ts";
import { slackProvider } from "./slack.ts";
import { telegramProvider } from "./telegram.ts";
import { webhookProvider } from "./webhook.ts";

export type { AlertProvider, OutgoingRequest, SecretLookup } from "./contract.ts";
export { AlertConfigError } from "./format.ts";

export type ProviderRegistry = { [T in Channel["type"]]: AlertProvider<Extract<Channel, { type: T }>> };

/** One provider per channel type; adding a channel type without a provider fails to compile. */
export const PROVIDERS: ProviderRegistry = {
  slack: slackProvider,
  discord: discordProvider,
  webhook: webhookProvider,
  pagerduty: pagerDutyProvider,
  telegram: telegramProvider,
  ntfy: ntfyProvider,
};

/**
 * Builds the request announcing `event` on `channel`. Pure apart from WebCrypto; sends nothing.
 *
 * Throws AlertConfigError when the channel cannot be rendered: a secret missing or empty (the
 * lookup threw, or returned ""), a webhook URL secret that is not an http(s) URL, a signing secret
 * that is not `whsec_` + base64, a malformed routing key. Messages name the secret, never its value.
 * The event itself is trusted (validated when produced).
 */
export async function renderAlert(
  event: AlertEvent,
  channel: Channel,
  secret: SecretLookup,
  now: Date,
): Promise<OutgoingRequest> {
  const lookup: SecretLookup = (ref) => {
    let value: unknown;
    try {
      value = secret(ref);
    } catch (error) {
      throw new AlertConfigError((error as Error).message || `secret ${ref.secret} is not set`, {
        cause: error,
      });
    }
    if (typeof value !== "string" || value.trim() === "") {
      throw new AlertConfigError(`secret ${ref.secret} is not set`);
    }
    return value;
  };
  const provider = PROVIDERS[channel.type] as AlertProvider<Channel>;
  try {
    return await provider.render(event, channel, lookup, now);
  } catch (error) {
    if (error instanceof AlertConfigError) {
      throw new AlertConfigError(`channel ${channel.id}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
