import { z } from "zod";
import { evaluateChia } from "../chains/chia/evaluate.ts";
import { withoutCredentials } from "../config/common.ts";
import { defineKind } from "./descriptor.ts";
import { ChiaServiceSchema, ChiaTlsFields, chiaTlsFilesMessage, hasChiaTlsFiles } from "./fields.ts";

export const ChiaRpcCheckSchema = z
  .strictObject({
    kind: z.literal("chia-rpc"),
    url: withoutCredentials(
      z.url({ protocol: /^https$/, error: "an https URL such as https://localhost:8555" }).max(2048),
    ).describe("RPC base URL: full node 8555, farmer 8559, harvester 8560, wallet 9256, DataLayer 8562"),
    service: ChiaServiceSchema.exclude(["daemon"])
      .default("full_node")
      .describe("Which service's client certificate chiaRoot picks"),
    endpoint: z
      .enum(["get_blockchain_state", "healthz"])
      .default("get_blockchain_state")
      .describe("get_blockchain_state (full node only) or healthz (any service)"),
    maxBodyBytes: z.number().int().min(1024).max(8_388_608).default(1_048_576),
    ...ChiaTlsFields,
  })
  .refine(hasChiaTlsFiles, chiaTlsFilesMessage)
  .refine((c) => c.endpoint === "healthz" || c.service === "full_node", {
    path: ["endpoint"],
    message: "get_blockchain_state is a full node endpoint; use healthz for other services",
  });

export type ChiaRpcCheck = z.infer<typeof ChiaRpcCheckSchema>;

export const chiaRpc = defineKind({
  kind: "chia-rpc",
  schema: ChiaRpcCheckSchema,
  chain: "chia",
  runsIn: ["agent"],
  evaluate: (_check, facts, rules, ctx) => evaluateChia(facts, rules, ctx),
  doc: {
    what: "mutual TLS with the node's private CA: `/healthz`, `/get_blockchain_state` (synced, peak height moving, lag; `space` kept exact)",
    example: "see [docs/agent.md](docs/agent.md)",
  },
});
