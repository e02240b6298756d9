import { z } from "zod";
import { withoutCredentials } from "./common.ts";

const httpsUrl = withoutCredentials(z.url({ protocol: /^https?$/, error: "an http(s) URL" }).max(2048));

/** How the public status page presents itself. Every field is optional; the defaults stay neutral. */
export const StatusPageSchema = z
  .strictObject({
    title: z.string().min(1).max(80).default("Node status").describe("The page's heading and window title"),
    description: z.string().max(300).optional().describe("One or two sentences under the title"),
    logoUrl: withoutCredentials(
      z.url({ protocol: /^https$/, error: "an https URL (the page loads it over TLS only)" }).max(2048),
    )
      .optional()
      .describe("An image shown beside the title; its origin is allowed by the page's CSP"),
    links: z
      .array(z.strictObject({ label: z.string().min(1).max(40), url: httpsUrl }))
      .max(6)
      .default([])
      .describe("Links in the header, e.g. the website and the support contact"),
    footer: z.string().max(300).optional().describe("A line of text at the bottom of the page"),
  })
  .prefault({});
export type StatusPage = z.infer<typeof StatusPageSchema>;
