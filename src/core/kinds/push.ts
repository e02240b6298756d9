import { z } from "zod";
import { SecretRefSchema } from "../config/common.ts";
import { defineKind, noChainRules } from "./descriptor.ts";

export const PushCheckSchema = z.strictObject({
  kind: z.literal("push"),
  token: SecretRefSchema.describe(
    "Secret holding the token in the push URL (/api/v1/push/<token>); at least 16 characters",
  ),
  graceSec: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(60)
    .describe("How long after the interval a heartbeat may be late before the monitor is down"),
});

export type PushCheck = z.infer<typeof PushCheckSchema>;

export const push = defineKind({
  kind: "push",
  schema: PushCheckSchema,
  runsIn: ["push"],
  evaluate: noChainRules,
  doc: {
    what: "heartbeat: up while something calls `/api/v1/push/<token>` at least every `intervalSec` (+ `graceSec`); a call may say `status=down`. Cron jobs, backups, reward-claim scripts, hosts without an agent ([push monitors](#push-heartbeat-monitors))",
    example: '`{"kind":"push","token":{"secret":"BACKUP_PUSH_TOKEN"},"graceSec":120}`',
  },
});
