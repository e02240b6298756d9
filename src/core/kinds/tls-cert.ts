import { z } from "zod";
import type { ChainFacts } from "../result.ts";
import type { Reason } from "../verdict.ts";
import { defineKind } from "./descriptor.ts";
import { filePath, hostField, portField } from "./fields.ts";

export const TlsCertCheckSchema = z
  .strictObject({
    kind: z.literal("tls-cert"),
    host: hostField,
    port: portField(443),
    servername: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe("SNI name to ask for; default: host (none for an IP address)"),
    warnDays: z
      .number()
      .min(0)
      .max(3650)
      .default(14)
      .describe("Fewer days left than this (leaf or any certificate in the chain) is degraded"),
    criticalDays: z.number().min(0).max(3650).default(3).describe("Fewer days left than this is down"),
    caFile: filePath
      .optional()
      .describe("PEM CA bundle the chain must verify against (reported as trusted); default: system roots"),
  })
  .refine((c) => c.criticalDays <= c.warnDays, {
    path: ["criticalDays"],
    message: "criticalDays must not exceed warnDays",
  });

export type TlsCertCheck = z.infer<typeof TlsCertCheckSchema>;

const days = (d: number) => (Math.abs(d) >= 10 ? Math.round(d).toString() : d.toFixed(1));

function certReasons(check: TlsCertCheck, facts: ChainFacts): Reason[] {
  const cert = facts.cert;
  if (!cert) return [];
  const reasons: Reason[] = [];
  const leafIsEarliest = cert.earliestNotAfter >= cert.notAfter;
  const left = cert.earliestDaysLeft;
  const which = leafIsEarliest ? "certificate" : "a certificate in the chain";
  if (left < check.criticalDays) {
    reasons.push({
      code: "cert_expiring",
      severity: "critical",
      message: `${which} expires in ${days(left)} days (critical under ${check.criticalDays})`,
    });
  } else if (left < check.warnDays) {
    reasons.push({
      code: "cert_expiring",
      severity: "warn",
      message: `${which} expires in ${days(left)} days (warning under ${check.warnDays})`,
    });
  }
  if (cert.selfSigned) {
    reasons.push({ code: "cert_self_signed", severity: "info", message: "self-signed certificate" });
  } else if (!cert.trusted) {
    reasons.push({
      code: "cert_untrusted",
      severity: "info",
      message: check.caFile
        ? "chain does not verify against caFile"
        : "chain does not verify against system roots",
    });
  }
  return reasons;
}

export const tlsCert = defineKind({
  kind: "tls-cert",
  schema: TlsCertCheckSchema,
  runsIn: ["agent"],
  evaluate: (check, facts, _rules, ctx) => ({
    reasons: certReasons(check, facts),
    maintenance: false,
    memory: ctx.previous ?? {},
  }),
  doc: {
    what: "certificate chain: expiry (leaf and earliest in chain), issuer, SANs, self-signed; `warnDays`/`criticalDays`",
    example: '`{"kind":"tls-cert","host":"rpc.example","port":443}`',
  },
});
