import { addNanoAnswer, type NanoAction } from "../core/chains/nano/rpc.ts";
import type { NanoRpcCheck } from "../core/kinds/nano-rpc.ts";
import type { ChainFacts } from "../core/result.ts";
import { boundedFetch } from "./bounded-fetch.ts";
import type { Probe, ProbeOptions } from "./contract.ts";
import type { Deadline } from "./deadline.ts";
import { ProbeFailure } from "./failure.ts";
import { okResult } from "./outcome.ts";

/**
 * Nano node RPC, directly (port 7076) or through an RPC proxy such as NanoRPCProxy (`/proxy`):
 * the check's actions in order (default block_count, version), one deadline for all. Facts:
 * height = cemented count, chainName = network, version/vendor from node_vendor, peers from
 * `peers`, the peers' cemented count from `telemetry`.
 *
 * Classification, after what the node and the proxy really send (CHAINS.md B.1, B.4):
 *   HTTP 429 (proxy rate limit)                          → rate_limited (unknown, not down)
 *   500 `{"error":"Action X not allowed"}`, 401 blocked IP,
 *   200 `{"error":"RPC control is disabled"}`             → config (unknown: the monitor asks for what the endpoint refuses)
 *   any other `{"error": …}` (Unknown command, a proxy's
 *   node connection error …)                             → protocol
 *   other non-2xx                                        → http_status; a non-JSON 200 → bad_body
 * A proxy's block_count may be up to 30 s old (its cache); the evaluator's stall window allows for it.
 */
export const nanoRpcProbe: Probe<NanoRpcCheck> = async (check, run) => {
  const { options, deadline } = run;
  const facts: ChainFacts = {};
  for (const action of check.actions) {
    const answer = await nanoCall(check, { action }, options, deadline);
    run.latencyMs ??= answer.latencyMs;
    const added = addNanoAnswer(action, answer.json, facts);
    if (!added.ok) throw new ProbeFailure("protocol", `${action}: not a Nano answer: ${added.problem}`);
  }
  if (facts.metrics && Object.keys(facts.metrics).length === 0) delete facts.metrics;
  return okResult(run.latencyMs ?? deadline.elapsed(), facts);
};

/** Statuses whose body we read: success, and the ones a proxy explains in its body. */
const READ_STATUS = new Set([400, 401, 403, 429, 500, 502, 503]);
const NOT_ALLOWED = /^Action \S{1,64} not allowed$/;
const REFUSED_BY_CONFIG = [/^IP has been blocked$/i, /^RPC control is disabled$/i];

/** One Nano RPC call (node or proxy), its failures classified as above. */
export async function nanoCall(
  target: { url: string; maxBodyBytes: number },
  request: { action: NanoAction | string; [param: string]: string },
  options: ProbeOptions,
  deadline: Deadline,
): Promise<{ json: unknown; latencyMs: number }> {
  const { action } = request;
  const res = await boundedFetch(
    target.url,
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request),
      maxBodyBytes: target.maxBodyBytes,
      acceptStatus: (s) => (s >= 200 && s <= 299) || READ_STATUS.has(s),
    },
    options,
    deadline,
  );
  const ok = res.status >= 200 && res.status <= 299;
  let json: unknown;
  if (ok) {
    json = await res.json(); // not JSON → bad_body, naming what it started with
  } else {
    const text = await res.text();
    if (res.status === 429) {
      const said = printable(text);
      throw new ProbeFailure(
        "rate_limited",
        `${action}: rate limited by the RPC proxy (HTTP 429${said ? `: ${said}` : ""})`,
        429,
      );
    }
    try {
      json = JSON.parse(text);
    } catch {
      throw new ProbeFailure("http_status", `${action}: HTTP ${res.status}`, res.status);
    }
  }
  const error = errorOf(json);
  if (error !== undefined) {
    const status = ok ? undefined : res.status;
    const quoted = `"${error.slice(0, 160)}"`;
    if (NOT_ALLOWED.test(error)) {
      throw new ProbeFailure(
        "config",
        `${action}: the RPC proxy does not allow this action (${quoted}); allow it in the proxy or remove it from the check's actions`,
        status,
      );
    }
    if (REFUSED_BY_CONFIG.some((re) => re.test(error))) {
      throw new ProbeFailure("config", `${action}: the endpoint refuses this monitor (${quoted})`, status);
    }
    throw new ProbeFailure(
      "protocol",
      `${action}: ${ok ? "node" : `HTTP ${res.status},`} error ${quoted}`,
      status,
    );
  }
  if (!ok) throw new ProbeFailure("http_status", `${action}: HTTP ${res.status}`, res.status);
  return { json, latencyMs: res.latencyMs };
}

function errorOf(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const error = (json as { error?: unknown }).error;
  if (typeof error === "string") return error;
  return error === undefined ? undefined : JSON.stringify(error).slice(0, 160);
}

/** The start of a text body as one printable line (a proxy's 429 explanation). */
function printable(text: string): string {
  return text
    .replace(/<[^>]*>/g, " ")
    .replace(/[^\x20-\x7e]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 120);
}
