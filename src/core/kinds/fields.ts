import { z } from "zod";
import { formatConditionError, MAX_CONDITION_LENGTH, parseCondition } from "../conditions/parser.ts";

/** Config fields several kinds share. */

/** Windows and bounds of an SSE probe: the first event, a new block, events and bytes read. */
export const sseLimits = (apiVersionHint: string) => ({
  apiVersionWithinMs: z.number().int().min(100).max(60_000).default(5_000).describe(apiVersionHint),
  blockWithinMs: z
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(8_000)
    .describe("A BlockAdded must arrive within this window after connecting"),
  maxEvents: z.number().int().min(1).max(100_000).default(2_000),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1_048_576)
    .default(8 * 1_048_576),
});

export const hostField = z
  .string()
  .min(1)
  .max(253)
  .describe("Host name or IP address, as seen from the agent's host");
export const portField = (fallback: number) => z.number().int().min(1).max(65_535).default(fallback);
export const filePath = z.string().min(1).max(1024);

/**
 * User conditions, each checked with the real parser so a typo fails at config load with its
 * position: `conditions[1]: at column 14: expected a comparison operator …`.
 */
export const ConditionsSchema = z
  .array(z.string().min(1).max(MAX_CONDITION_LENGTH))
  .max(20)
  .superRefine((conditions, ctx) => {
    conditions.forEach((text, i) => {
      const parsed = parseCondition(text);
      if (!parsed.ok) ctx.addIssue({ code: "custom", path: [i], message: formatConditionError(parsed) });
    });
  })
  .describe(
    "Gatus-style conditions, e.g. [STATUS] == 200, [BODY].result.count > 1000, len([BODY].peers) >= 3, [BODY].status == any(UP, OK)",
  );

export const NanoNetworkSchema = z.enum(["live", "beta", "test", "dev"]);
export type NanoNetwork = z.infer<typeof NanoNetworkSchema>;

/**
 * Where a Chia node's private CA and a client certificate signed by it live. `chiaRoot` (e.g.
 * /home/chia/.chia/mainnet) picks the files Chia itself uses for the service; single paths override.
 */
export const ChiaTlsFields = {
  chiaRoot: filePath.optional().describe("CHIA_ROOT; certificates are read from <chiaRoot>/config/ssl"),
  caFile: filePath.optional().describe("The private CA certificate (ssl/ca/private_ca.crt)"),
  certFile: filePath.optional().describe("A client certificate signed by the private CA"),
  keyFile: filePath.optional().describe("Its private key"),
};

export const hasChiaTlsFiles = (c: {
  chiaRoot?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}) =>
  c.chiaRoot !== undefined || (c.caFile !== undefined && c.certFile !== undefined && c.keyFile !== undefined);
export const chiaTlsFilesMessage = {
  path: ["chiaRoot"],
  message: "set chiaRoot, or all of caFile, certFile and keyFile",
};

export const ChiaServiceSchema = z.enum([
  "full_node",
  "farmer",
  "harvester",
  "wallet",
  "data_layer",
  "daemon",
]);
export type ChiaService = z.infer<typeof ChiaServiceSchema>;
