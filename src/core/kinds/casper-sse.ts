import { z } from "zod";
import { evaluateCasper } from "../chains/casper/evaluate.ts";
import { HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";
import { sseLimits } from "./fields.ts";

export const CasperSseCheckSchema = z.strictObject({
  kind: z.literal("casper-sse"),
  url: httpUrl("http://node.example:9999/events").describe("SSE stream: /events/main on 1.x, /events on 2.x"),
  headers: HeadersSchema,
  ...sseLimits("The ApiVersion event must arrive within this time"),
});

export const casperSse = defineKind({
  kind: "casper-sse",
  schema: CasperSseCheckSchema,
  chain: "casper",
  runsIn: ["worker", "agent"],
  evaluate: (_check, facts, rules, ctx) => evaluateCasper(facts, rules, ctx),
  monitorIssues: (check, monitor) =>
    check.blockWithinMs > monitor.timeoutMs
      ? [
          {
            path: ["check", "blockWithinMs"],
            message: `blockWithinMs (${check.blockWithinMs}) must fit inside timeoutMs (${monitor.timeoutMs})`,
          },
        ]
      : [],
  doc: {
    what: "`:9999/events/main` (1.x) or `/events` (2.x): `ApiVersion` within `apiVersionWithinMs`, a `BlockAdded` within `blockWithinMs`",
    example: '`{"kind":"casper-sse","url":"http://node:9999/events","blockWithinMs":30000}`',
  },
});
