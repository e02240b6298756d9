import { z } from "zod";
import { bodyBytes, HeadersSchema, httpUrl } from "../config/common.ts";
import { defineKind, noChainRules } from "./descriptor.ts";
import { ConditionsSchema } from "./fields.ts";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export const HttpCheckSchema = z
  .strictObject({
    kind: z.literal("http"),
    url: httpUrl("https://api.example/health"),
    method: z.enum(HTTP_METHODS).default("GET"),
    headers: HeadersSchema,
    body: z.string().max(65_536).optional().describe("Request body, sent as is"),
    conditions: ConditionsSchema.default(["[STATUS] < 300"]),
    maxBodyBytes: bodyBytes(1_048_576),
  })
  .superRefine((c, ctx) => {
    if (c.body !== undefined && (c.method === "GET" || c.method === "HEAD")) {
      ctx.addIssue({ code: "custom", path: ["body"], message: `a ${c.method} request cannot carry a body` });
    }
  });

export type HttpCheck = z.infer<typeof HttpCheckSchema>;

export const http = defineKind({
  kind: "http",
  schema: HttpCheckSchema,
  runsIn: ["worker", "agent"],
  // Conditions are judged for every kind that reports them (core/evaluate.ts).
  evaluate: noChainRules,
  doc: {
    what: "any HTTP(S) request judged by `conditions` (default `[STATUS] < 300`)",
    example:
      '`{"kind":"http","url":"https://api.example/health","conditions":["[STATUS] == 200","[BODY].status == UP"]}`',
  },
});
