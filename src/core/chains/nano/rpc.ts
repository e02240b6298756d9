import { z } from "zod";
import type { ChainFacts } from "../../result.ts";
import { type Parsed, parseWith } from "../parsed.ts";

/**
 * Nano RPC answers (CHAINS.md B.1) into chain facts. The node writes every value as a string;
 * counts are parsed as decimal integers and refused, not rounded, beyond 2^53 (a count that big
 * is not a count). Raw stake amounts (up to 2^128) are only compared with BigInt.
 */

const UINT = /^\d{1,20}$/;
const uintText = z.string().regex(UINT, "a decimal integer as a string");

export const NanoBlockCountSchema = z
  .object({ count: uintText, unchecked: uintText, cemented: uintText })
  .loose();

export const NanoVersionSchema = z
  .object({
    node_vendor: z.string().max(128),
    network: z.string().min(1).max(64),
    protocol_version: uintText.optional(),
  })
  .loose();

export const NanoTelemetrySchema = z
  .object({
    cemented_count: uintText,
    block_count: uintText.optional(),
    peer_count: uintText.optional(),
    genesis_block: z.string().optional(),
  })
  .loose();

/** `{"peers": {...}}`, or `{"peers": ""}`: boost writes an empty tree as an empty string. */
export const NanoPeersSchema = z
  .object({ peers: z.union([z.record(z.string(), z.unknown()), z.literal("")]) })
  .loose();

/** Raw amounts: up to 2^128, so up to 39 digits. */
const rawAmount = z.string().regex(/^\d{1,40}$/, "a raw amount as a decimal string");

export const NanoQuorumSchema = z
  .object({ online_stake_total: rawAmount, peers_stake_total: rawAmount })
  .loose();

/** NanoRPCProxy adds these to every answer when its rate limiter is on. */
const ProxyFieldsSchema = z
  .object({
    requestsRemaining: z
      .string()
      .regex(/^\d{1,12}$/)
      .optional(),
  })
  .loose();

export type NanoAction = "block_count" | "version" | "telemetry" | "peers" | "confirmation_quorum";

/** A decimal string as a safe integer, or undefined when it is too large to be one. */
export function safeUint(text: string): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) && UINT.test(text) ? n : undefined;
}

/** "Nano V27.1" → "27.1"; "Nano 20.0" → "20.0"; anything else as sent. */
export function nanoVersionOf(vendor: string): string {
  const m = /^(?:Nano\s+)?V?(\d+(?:\.\d+)*\S*)/i.exec(vendor.trim());
  return (m?.[1] ?? vendor).slice(0, 128);
}

/**
 * Adds one action's answer to `facts` (mutated). Returns a problem sentence when the answer does
 * not have the shape the node sends.
 */
export function addNanoAnswer(action: NanoAction, answer: unknown, facts: ChainFacts): Parsed<true> {
  facts.metrics ??= {};
  const metrics = facts.metrics;
  const remaining = ProxyFieldsSchema.safeParse(answer);
  if (remaining.success && remaining.data.requestsRemaining !== undefined) {
    metrics.proxy_requests_remaining = Number(remaining.data.requestsRemaining);
  }
  switch (action) {
    case "block_count": {
      const r = parseWith(NanoBlockCountSchema, answer);
      if (!r.ok) return r;
      const cemented = safeUint(r.value.cemented);
      const count = safeUint(r.value.count);
      const unchecked = safeUint(r.value.unchecked);
      if (cemented === undefined || count === undefined || unchecked === undefined) {
        return { ok: false, problem: "a block count is larger than 2^53" };
      }
      facts.height = cemented;
      metrics.block_count = count;
      metrics.unchecked = unchecked;
      return { ok: true, value: true };
    }
    case "version": {
      const r = parseWith(NanoVersionSchema, answer);
      if (!r.ok) return r;
      facts.chainName = r.value.network;
      facts.vendor = r.value.node_vendor;
      facts.version = nanoVersionOf(r.value.node_vendor);
      const protocol =
        r.value.protocol_version === undefined ? undefined : safeUint(r.value.protocol_version);
      if (protocol !== undefined) metrics.protocol_version = protocol;
      return { ok: true, value: true };
    }
    case "telemetry": {
      const r = parseWith(NanoTelemetrySchema, answer);
      if (!r.ok) return r;
      // The summary of the node's peers: what the network around it has cemented.
      const cemented = safeUint(r.value.cemented_count);
      if (cemented === undefined) return { ok: false, problem: "cemented_count is larger than 2^53" };
      metrics.network_cemented = cemented;
      const peers = r.value.peer_count === undefined ? undefined : safeUint(r.value.peer_count);
      if (peers !== undefined) metrics.network_peer_count = peers;
      return { ok: true, value: true };
    }
    case "peers": {
      const r = parseWith(NanoPeersSchema, answer);
      if (!r.ok) return r;
      facts.peers = r.value.peers === "" ? 0 : Object.keys(r.value.peers).length;
      return { ok: true, value: true };
    }
    case "confirmation_quorum": {
      const r = parseWith(NanoQuorumSchema, answer);
      if (!r.ok) return r;
      const online = BigInt(r.value.online_stake_total);
      const seen = BigInt(r.value.peers_stake_total);
      // Share of the online voting weight this node's peers represent, in percent (2 decimals).
      if (online > 0n) metrics.peers_stake_percent = Number((seen * 10_000n) / online) / 100;
      return { ok: true, value: true };
    }
  }
}
