import { z } from "zod";
import { evaluateCasper } from "../chains/casper/evaluate.ts";
import { bodyBytes, HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";

export const CasperRestCheckSchema = z.strictObject({
  kind: z.literal("casper-rest"),
  url: httpUrl("http://node.example:8888/status").describe("The node's REST /status URL (port 8888)"),
  headers: HeadersSchema,
  maxBodyBytes: bodyBytes(1_048_576),
});

export const casperRest = defineKind({
  kind: "casper-rest",
  schema: CasperRestCheckSchema,
  chain: "casper",
  runsIn: ["worker", "agent"],
  evaluate: (_check, facts, rules, ctx) => evaluateCasper(facts, rules, ctx),
  doc: {
    what: "`GET :8888/status`, 1.x and 2.x shapes",
    example: '`{"kind":"casper-rest","url":"http://node:8888/status"}`',
  },
});
