import { z } from "zod";
import { evaluateCasper } from "../chains/casper/evaluate.ts";
import { bodyBytes, HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";

export const CasperSidecarAdminCheckSchema = z.strictObject({
  kind: z.literal("casper-sidecar-admin"),
  url: httpUrl("http://node.example:18887/metrics").describe("The sidecar's admin /metrics URL (port 18887)"),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(1_048_576),
  node: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe("The node_statuses `node` label to read (ip:port); default: the worst of all connected nodes"),
});

export type CasperSidecarAdminCheck = z.infer<typeof CasperSidecarAdminCheckSchema>;

export const casperSidecarAdmin = defineKind({
  kind: "casper-sidecar-admin",
  schema: CasperSidecarAdminCheckSchema,
  chain: "casper",
  runsIn: ["worker"],
  evaluate: (_check, facts, rules, ctx) => evaluateCasper(facts, rules, ctx),
  doc: {
    what: "sidecar admin `:18887/metrics`: `node_statuses`",
    example: '`{"kind":"casper-sidecar-admin","url":"http://node:18887/metrics"}`',
  },
});
