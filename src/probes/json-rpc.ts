import { z } from "zod";
import { parseWith } from "../core/chains/parsed.ts";
import { boundedFetch } from "./bounded-fetch.ts";
import type { ProbeOptions } from "./contract.ts";
import type { Deadline } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";

const EnvelopeSchema = z
  .object({
    jsonrpc: z.literal("2.0"),
    id: z.union([z.string(), z.number(), z.null()]),
    result: z.unknown().optional(),
    error: z
      .object({ code: z.number(), message: z.string(), data: z.unknown().optional() })
      .loose()
      .optional(),
  })
  .loose();

export interface RpcAnswer {
  result: unknown;
  /** Time from probe start to this call's response headers. */
  latencyMs: number;
  /** The whole response (envelope and result), for user conditions. */
  response: unknown;
  status: number;
}

export interface RpcTarget {
  url: string;
  maxBodyBytes: number;
}

let lastId = Math.floor(Math.random() * 1_000_000);

/**
 * One JSON-RPC 2.0 call under the probe's deadline. Casper answers JSON-RPC errors with HTTP 200,
 * so an `error` member is a `protocol` failure carrying its code and message; a response whose id
 * is not ours (a caching proxy, a confused load balancer) is one too.
 */
export async function jsonRpcCall(
  target: RpcTarget,
  method: string,
  options: ProbeOptions,
  deadline: Deadline,
  params?: unknown[] | Record<string, unknown>,
): Promise<RpcAnswer> {
  lastId = (lastId + 1) % 2_147_483_647;
  const id = lastId;
  const res = await boundedFetch(
    target.url,
    {
      method: "POST",
      // Casper rejects anything but application/json with 415 (json_rpc/src/filters.rs).
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(
        params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params },
      ),
      maxBodyBytes: target.maxBodyBytes,
    },
    options,
    deadline,
  );
  const response = await res.json();
  const env = parseWith(EnvelopeSchema, response);
  if (!env.ok) throw new ProbeFailure("protocol", `${method}: not a JSON-RPC 2.0 response: ${env.problem}`);
  const { error, result } = env.value;
  if (error)
    throw new ProbeFailure("protocol", `${method}: JSON-RPC error ${error.code}: ${describeError(error)}`);
  if (String(env.value.id) !== String(id)) {
    throw new ProbeFailure(
      "protocol",
      `${method}: response id ${clipId(env.value.id)} does not match request id ${id}`,
    );
  }
  if (result === undefined)
    throw new ProbeFailure("protocol", `${method}: response has neither result nor error`);
  return { result, latencyMs: res.latencyMs, response, status: res.status };
}

function describeError(error: { message: string; data?: unknown }): string {
  const msg = error.message.slice(0, 120);
  return typeof error.data === "string" && error.data.length > 0
    ? `${msg} (${error.data.slice(0, 120)})`
    : msg;
}

const clipId = (id: string | number | null) => JSON.stringify(id).slice(0, 40);
