import { z } from "zod";
import { evaluateCasper } from "../chains/casper/evaluate.ts";
import { bodyBytes, HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";

export const CasperSidecarRestCheckSchema = z.strictObject({
  kind: z.literal("casper-sidecar-rest"),
  url: httpUrl("http://node.example:18888").describe(
    "The sidecar's REST base URL (port 18888); the probe reads <url>/block",
  ),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(2_097_152),
});

export type CasperSidecarRestCheck = z.infer<typeof CasperSidecarRestCheckSchema>;

export const casperSidecarRest = defineKind({
  kind: "casper-sidecar-rest",
  schema: CasperSidecarRestCheckSchema,
  chain: "casper",
  runsIn: ["worker"],
  evaluate: (_check, facts, rules, ctx) => evaluateCasper(facts, rules, ctx),
  doc: {
    what: "sidecar REST `:18888/block`: height and timestamp must move",
    example: '`{"kind":"casper-sidecar-rest","url":"http://node:18888"}`',
  },
});
