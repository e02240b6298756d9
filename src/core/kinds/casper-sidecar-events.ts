import { z } from "zod";
import { evaluateCasper } from "../chains/casper/evaluate.ts";
import { HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";
import { sseLimits } from "./fields.ts";

/** Whether a URL's path ends in /events; an unparsable URL is left to the url check to report. */
function endsInEvents(url: string): boolean {
  try {
    return /\/events\/?$/.test(new URL(url).pathname);
  } catch {
    return true;
  }
}

/** The event windows mirror casper-sse's. */
export const CasperSidecarEventsCheckSchema = z.strictObject({
  kind: z.literal("casper-sidecar-events"),
  url: httpUrl("http://node.example:19999/events")
    .refine(endsInEvents, "the sidecar's /events URL (path ending in /events)")
    .describe(
      "The sidecar's SSE /events URL (port 19999); its /events/sidecar stream is read first for the sidecar version",
    ),
  headers: HeadersSchema,
  ...sseLimits("SidecarVersion and then the node's ApiVersion must each arrive within this time"),
});

export type CasperSidecarEventsCheck = z.infer<typeof CasperSidecarEventsCheckSchema>;

export const casperSidecarEvents = defineKind({
  kind: "casper-sidecar-events",
  schema: CasperSidecarEventsCheckSchema,
  chain: "casper",
  runsIn: ["worker"],
  evaluate: (_check, facts, rules, ctx) => evaluateCasper(facts, rules, ctx),
  doc: {
    what: "sidecar SSE `:19999`: `SidecarVersion` on `/events/sidecar`, then a `BlockAdded` on `/events`",
    example: '`{"kind":"casper-sidecar-events","url":"http://node:19999/events"}`',
  },
});
