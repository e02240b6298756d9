import type { CheckOf } from "../../core/kinds/index.ts";
import type { ChainFacts } from "../../core/result.ts";
import type { Probe } from "../../probes/contract.ts";
import { ProbeFailure } from "../../probes/failure.ts";
import { okResult } from "../../probes/outcome.ts";
import { loadChiaTls } from "../net/chia-tls.ts";
import { mtlsPost } from "../net/https-post.ts";
import { parseJsonLossless } from "./lossless-json.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Chia RPC over mutual TLS with the node's private CA (CHAINS.md C.1): `POST /<endpoint>` with `{}`.
 * `healthz` answers `{"success": true}`; `get_blockchain_state` gives sync state, peak height and
 * time, and netspace — a number beyond 2^53, kept exact as a string. Chia reports handled errors
 * with HTTP 200 and `success: false`, which fails the probe with the node's error text.
 */
export const chiaRpcProbe: Probe<CheckOf<"chia-rpc">> = async (check, run) => {
  const { options, deadline } = run;
  const tls = await loadChiaTls(check, check.service);
  const base = check.url.endsWith("/") ? check.url : `${check.url}/`;
  const res = await mtlsPost(
    {
      url: new URL(check.endpoint, base),
      body: "{}",
      ...tls,
      userAgent: options.userAgent,
      maxBodyBytes: check.maxBodyBytes,
    },
    deadline.signal,
    deadline.elapsed,
  );
  const latencyMs = res.latencyMs;
  run.latencyMs = latencyMs;
  if (res.status < 200 || res.status > 299)
    throw new ProbeFailure("http_status", `HTTP ${res.status}`, res.status);
  let json: unknown;
  try {
    json = parseJsonLossless(res.text);
  } catch {
    throw new ProbeFailure("bad_body", "body is not JSON");
  }
  if (!isObj(json)) throw new ProbeFailure("protocol", "response is not a JSON object");
  if (json.success !== true) {
    const error = typeof json.error === "string" ? json.error.slice(0, 200) : "no error text";
    throw new ProbeFailure("protocol", `RPC ${check.endpoint} failed: ${error}`);
  }
  if (check.endpoint === "healthz") return okResult(latencyMs);
  return okResult(latencyMs, blockchainFacts(json.blockchain_state));
};

function blockchainFacts(state: unknown): ChainFacts {
  if (!isObj(state) || !isObj(state.sync))
    throw new ProbeFailure("protocol", "no blockchain_state.sync in the response");
  const sync = state.sync;
  const facts: ChainFacts = {
    syncing: sync.sync_mode === true,
    syncState: sync.sync_mode === true ? "sync_mode" : sync.synced === true ? "synced" : "not_synced",
  };
  const peak = state.peak;
  if (isObj(peak)) {
    if (typeof peak.height === "number" && Number.isSafeInteger(peak.height) && peak.height >= 0)
      facts.height = peak.height;
    // Only transaction blocks carry a timestamp (unix seconds); others have null.
    if (typeof peak.timestamp === "number" && peak.timestamp > 0)
      facts.lastBlockAt = Math.round(peak.timestamp * 1000);
  }
  const space = state.space;
  if (typeof space === "string" && /^\d{1,40}$/.test(space)) facts.netspace = space;
  else if (typeof space === "number" && Number.isSafeInteger(space) && space >= 0)
    facts.netspace = String(space);
  return facts;
}
