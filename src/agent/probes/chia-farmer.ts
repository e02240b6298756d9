import type { CheckOf } from "../../core/kinds/index.ts";
import type { ChiaFarmerFacts } from "../../core/validators/facts.ts";
import type { Probe, ProbeRun } from "../../probes/contract.ts";
import { ProbeFailure } from "../../probes/failure.ts";
import { okResult } from "../../probes/outcome.ts";
import { BoundedMemo } from "../../probes/validator-memory.ts";
import { type ChiaTlsMaterial, loadChiaTls } from "../net/chia-tls.ts";
import { mtlsPost } from "../net/https-post.ts";

type Check = CheckOf<"chia-farmer">;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const count = (v: unknown) =>
  Array.isArray(v) ? v.length : typeof v === "number" && v >= 0 ? Math.floor(v) : 0;

/**
 * The farmer's signage points carry no time, so their age is what this process saw: when the
 * newest one last changed (or when it was first seen). A restart starts the clock again, which can
 * delay a `no signage points` verdict by one limit, never raise one early.
 */
const newest = new BoundedMemo<{ id: string; since: number }>(256);

/**
 * A Chia farmer (kind `chia-farmer`, agent, mutual TLS with the farmer's certificate):
 * `get_signage_points` (is the farmer still getting them from its full node),
 * `get_harvesters_summary` (harvesters and plot counts), and `get_pool_state` when `pool` is set
 * (points found and acknowledged, pool errors, over 24 h).
 */
export const chiaFarmerProbe: Probe<Check> = async (check, run) => {
  const tls = await loadChiaTls(check, "farmer");
  const sps = await call(check, tls, run, "get_signage_points");
  const list = Array.isArray(sps.signage_points) ? sps.signage_points : [];
  const last = list.at(-1);
  const sp = isObj(last) && isObj(last.signage_point) ? last.signage_point : undefined;
  const id = sp ? `${String(sp.challenge_chain_sp)}:${String(sp.signage_point_index)}` : "none";
  const now = Date.now();
  const seen = newest.get(check.url);
  const since = seen && seen.id === id ? seen.since : now;
  newest.set(check.url, { id, since });
  // Age is known once the newest point has been seen twice (or there is none at all).
  const age = seen === undefined && sp ? null : (now - since) / 1000;

  const summary = await call(check, tls, run, "get_harvesters_summary");
  const harvesters = (Array.isArray(summary.harvesters) ? summary.harvesters : []).filter(isObj);
  const harvesterPlots = harvesters.slice(0, 100).map((h) => ({
    host:
      isObj(h.connection) && typeof h.connection.host === "string" ? h.connection.host.slice(0, 100) : "?",
    plots: count(h.plots),
  }));
  const facts: ChiaFarmerFacts = {
    chain: "chia",
    signagePointAgeSec: age === null ? null : Math.round(age),
    harvesters: harvesters.length,
    plots: harvesterPlots.reduce((sum, h) => sum + h.plots, 0),
    harvesterPlots,
    failedToOpen: harvesters.reduce((sum, h) => sum + count(h.failed_to_open_filenames), 0),
  };
  if (check.pool) facts.pool = poolFacts(await call(check, tls, run, "get_pool_state"));
  return okResult(run.latencyMs ?? run.deadline.elapsed(), { validator: facts });
};

/** Sums the `[timestamp, points]` pairs of a 24-hour list. */
const points = (v: unknown) =>
  Array.isArray(v)
    ? v.reduce((sum, p) => sum + (Array.isArray(p) && typeof p[1] === "number" ? p[1] : 0), 0)
    : 0;

function poolFacts(answer: Obj): ChiaFarmerFacts["pool"] {
  const pools = (Array.isArray(answer.pool_state) ? answer.pool_state : []).filter(isObj);
  return {
    pointsFound24h: pools.reduce((s, p) => s + points(p.points_found_24h), 0),
    pointsAcknowledged24h: pools.reduce((s, p) => s + points(p.points_acknowledged_24h), 0),
    errors24h: pools.reduce((s, p) => s + count(p.pool_errors_24h), 0),
  };
}

async function call(check: Check, tls: ChiaTlsMaterial, run: ProbeRun, endpoint: string): Promise<Obj> {
  const base = check.url.endsWith("/") ? check.url : `${check.url}/`;
  const res = await mtlsPost(
    {
      url: new URL(endpoint, base),
      body: "{}",
      ...tls,
      userAgent: run.options.userAgent,
      maxBodyBytes: check.maxBodyBytes,
    },
    run.deadline.signal,
    run.deadline.elapsed,
  );
  run.latencyMs ??= res.latencyMs;
  if (res.status < 200 || res.status > 299)
    throw new ProbeFailure("http_status", `${endpoint}: HTTP ${res.status}`, res.status);
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    throw new ProbeFailure("bad_body", `${endpoint}: body is not JSON`);
  }
  if (!isObj(json)) throw new ProbeFailure("protocol", `${endpoint}: response is not a JSON object`);
  if (json.success !== true) {
    const error = typeof json.error === "string" ? json.error.slice(0, 200) : "no error text";
    throw new ProbeFailure("protocol", `${endpoint} failed: ${error}`);
  }
  return json;
}
