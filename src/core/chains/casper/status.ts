import { z } from "zod";
import type { ChainFacts } from "../../result.ts";
import { type Parsed, parseWith } from "../parsed.ts";
import { CasperTimestampSchema, clip, HeightSchema } from "./timestamp.ts";

/**
 * The `/status` REST body, which is also the `info_get_status` JSON-RPC result (node 1.4–1.5,
 * node 2.0 REST, sidecar 2.0 RPC). Lenient: `.loose()` and only the fields we read, so a new
 * field in a future release does not break the probe. Node-side the struct is deny_unknown_fields;
 * we deliberately are not.
 */
const LastAddedBlockInfoSchema = z
  .object({
    height: HeightSchema,
    timestamp: CasperTimestampSchema,
  })
  .loose();

const NextUpgradeSchema = z
  .object({
    // An era id (number) or an RFC 3339 activation time (string); kept as a string either way.
    activation_point: z.union([z.number(), z.string().max(64)]),
    protocol_version: z.string().max(64),
  })
  .loose();

export const CasperStatusSchema = z
  .object({
    api_version: z.string(),
    chainspec_name: z.string(),
    peers: z.array(z.unknown()),
    // null while the node syncs from scratch; always present on real nodes, tolerated if absent.
    last_added_block_info: LastAddedBlockInfoSchema.nullable().optional(),
    // Absent before 1.5 (the 1.4.15 docs sample has no reactor fields).
    reactor_state: z.string().optional(),
    next_upgrade: NextUpgradeSchema.nullable().optional(),
  })
  .loose();
export type CasperStatus = z.output<typeof CasperStatusSchema>;

export function parseCasperStatus(payload: unknown): Parsed<CasperStatus> {
  return parseWith(CasperStatusSchema, payload);
}

/** Normalised facts from a parsed status. Pure. */
export function casperStatusFacts(status: CasperStatus): ChainFacts {
  const facts: ChainFacts = {
    peers: status.peers.length,
    chainName: clip(status.chainspec_name, 128),
    version: clip(status.api_version, 128),
  };
  const block = status.last_added_block_info;
  if (block) {
    facts.height = block.height;
    facts.lastBlockAt = block.timestamp;
  }
  if (status.reactor_state !== undefined) facts.syncState = clip(status.reactor_state, 64);
  if (status.next_upgrade !== undefined) {
    facts.upgrade =
      status.next_upgrade === null
        ? null
        : {
            activationPoint: String(status.next_upgrade.activation_point),
            protocolVersion: status.next_upgrade.protocol_version,
          };
  }
  return facts;
}
