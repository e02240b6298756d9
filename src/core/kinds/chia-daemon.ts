import { z } from "zod";
import { withoutCredentials } from "../config/common.ts";
import { defineKind, noChainRules } from "./descriptor.ts";
import { ChiaTlsFields, chiaTlsFilesMessage, hasChiaTlsFiles } from "./fields.ts";

export const ChiaDaemonCheckSchema = z
  .strictObject({
    kind: z.literal("chia-daemon"),
    url: withoutCredentials(
      z.url({ protocol: /^wss$/, error: "a wss URL such as wss://localhost:55400" }).max(2048),
    ).describe("The daemon WebSocket (port 55400)"),
    maxMessageBytes: z.number().int().min(256).max(1_048_576).default(65_536),
    ...ChiaTlsFields,
  })
  .refine(hasChiaTlsFiles, chiaTlsFilesMessage);

export type ChiaDaemonCheck = z.infer<typeof ChiaDaemonCheckSchema>;

export const chiaDaemon = defineKind({
  kind: "chia-daemon",
  schema: ChiaDaemonCheckSchema,
  chain: "chia",
  runsIn: ["agent"],
  evaluate: noChainRules,
  doc: {
    what: "daemon WebSocket `:55400` `ping` over the same mutual TLS",
    example: "see [docs/agent.md](docs/agent.md)",
  },
});
