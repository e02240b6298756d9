import { z } from "zod";
import { networkAndPeerReasons, nodeIdReason } from "../chains/common-rules.ts";
import { defineKind } from "./descriptor.ts";
import { hostField, portField } from "./fields.ts";

export const CasperP2pCheckSchema = z.strictObject({
  kind: z.literal("casper-p2p"),
  host: hostField,
  port: portField(35_000),
  chainName: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe("network_name the node must announce in its handshake (casper, casper-test); another fails"),
  maxFrameBytes: z.number().int().min(64).max(1_048_576).default(65_536),
  nodeId: z
    .string()
    .regex(
      /^(?:[0-9a-f]{128}|tls:[0-9a-f]{4}\.\.[0-9a-f]{4})$/,
      "a Casper node id: 128 hex digits, or the short form tls:abcd..ef01 that nodes print",
    )
    .optional()
    .describe("Pin: the node id the node's certificate must give; another id is down"),
});

/** The full id, or the short form casper-node prints (tls:<first 4>..<last 4>). */
const sameCasperNode = (expected: string, actual: string) =>
  expected.startsWith("tls:")
    ? expected === `tls:${actual.slice(0, 4)}..${actual.slice(-4)}`
    : expected === actual;

export type CasperP2pCheck = z.infer<typeof CasperP2pCheckSchema>;

export const casperP2p = defineKind({
  kind: "casper-p2p",
  schema: CasperP2pCheckSchema,
  chain: "casper",
  runsIn: ["agent"],
  evaluate: (check, facts, rules, ctx) => {
    const reasons = networkAndPeerReasons(facts, rules, "network");
    const pinned = nodeIdReason(check.nodeId, facts.nodeId, sameCasperNode);
    if (pinned) reasons.push(pinned);
    if (facts.syncing) {
      reasons.push({
        code: "syncing",
        severity: "warn",
        message: "node says it is syncing (handshake is_syncing)",
      });
    }
    return { reasons, maintenance: false, memory: ctx.previous ?? {} };
  },
  doc: {
    what: "TLS 1.3 with a throw-away P-521 cert on `:35000`, the node's handshake frame: chain name, protocol version, syncing, node id",
    example: '`{"kind":"casper-p2p","host":"10.0.0.5","chainName":"casper"}`',
  },
});
