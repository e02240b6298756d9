import type { Channel } from "../../config/alerts.ts";
import type { SecretRef } from "../../config/common.ts";
import type { AlertEvent } from "../event.ts";

/** An HTTP request ready to send; the outbox sends it, the provider only builds it. */
export interface OutgoingRequest {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

/** Looks up a secret named in config (the Worker's env); throws if it is not set. */
export type SecretLookup = (ref: SecretRef) => string;

/**
 * One interface per alert destination, after Gatus' alerting providers: a pure function from an
 * alert to the request that announces it. No template engine touches user strings; each
 * provider escapes for its own target.
 */
export interface AlertProvider<C extends Channel = Channel> {
  render(event: AlertEvent, channel: C, secret: SecretLookup, now: Date): Promise<OutgoingRequest>;
}
