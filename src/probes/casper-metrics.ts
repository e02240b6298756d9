import { HeightSchema } from "../core/chains/casper/timestamp.ts";
import type { CasperMetricsCheck } from "../core/kinds/casper-metrics.ts";
import { type PromText, parsePrometheusText, promValue } from "../core/prometheus/parse.ts";
import type { ChainFacts } from "../core/result.ts";
import type { Probe, ProbeRun } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { fetchExplained } from "./http-answer.ts";
import { okResult } from "./outcome.ts";

/**
 * The gauges of casper-node's `/metrics` that say how the node is doing (reference/CHAINS.md A.2):
 * connected peers, the top of the stored chain, when the last block was finalized (Unix ms), the
 * consensus era. `chain_height` is the deprecated name of the height, read only as a fallback.
 */
export const CASPER_GAUGES = [
  "peers",
  "highest_available_block_height",
  "time_of_last_finalized_block",
  "consensus_current_era",
] as const;
const DEPRECATED_HEIGHT = "chain_height";

/** Longest line we accept; label values on a node's page are short. */
const MAX_LINE = 16_384;

/**
 * GET the node's REST `/metrics` (port 8888) and read it as Prometheus text with a real, bounded
 * parser. Facts: the Casper gauges and any named in `check.gauges` (as `metrics`), plus the
 * normalised `height`, `peers` and `lastBlockAt`. A 500 `metrics not available` is an
 * `http_status` failure that says so; a page that does not parse is `bad_body` (naming the line);
 * one past `maxSeries` is `too_large`; a page without any Casper gauge is `protocol`.
 */
export const casperMetricsProbe: Probe<CasperMetricsCheck> = async (check, run) => {
  const { page, latencyMs } = await fetchPrometheus(check.url, check.maxBodyBytes, check.maxSeries, run);
  return okResult(latencyMs, casperMetricsFacts(page, Object.keys(check.gauges)));
};

/** GETs a Prometheus /metrics page and parses it, bounded in bytes and series. */
export async function fetchPrometheus(
  url: string,
  maxBodyBytes: number,
  maxSeries: number,
  run: ProbeRun,
): Promise<{ page: PromText; latencyMs: number }> {
  const res = await fetchExplained(
    url,
    { headers: { accept: "text/plain; version=0.0.4" }, maxBodyBytes },
    run.options,
    run.deadline,
  );
  run.latencyMs = res.latencyMs;
  return { page: readPrometheus(await res.text(), maxBodyBytes, maxSeries), latencyMs: res.latencyMs };
}

/** Parses a /metrics page, turning parse problems into classified failures. */
export function readPrometheus(text: string, maxBytes: number, maxSeries: number): PromText {
  const parsed = parsePrometheusText(text, { maxBytes, maxSeries, maxLineLength: MAX_LINE });
  if (parsed.ok) return parsed.value;
  const { kind, message } = parsed.error;
  throw new ProbeFailure(kind === "limit" ? "too_large" : "bad_body", `not Prometheus text: ${message}`);
}

/** Facts from a parsed casper-node /metrics page; `extra` names more gauges to keep. */
export function casperMetricsFacts(page: PromText, extra: readonly string[] = []): ChainFacts {
  const metrics: Record<string, number> = {};
  for (const name of new Set<string>([...CASPER_GAUGES, ...extra])) {
    const value = promValue(page, name);
    // Facts carry finite numbers only; a NaN or ±Inf gauge reads as missing.
    if (value !== undefined && Number.isFinite(value)) metrics[name] = value;
  }
  const legacyHeight = promValue(page, DEPRECATED_HEIGHT);
  if (metrics.highest_available_block_height === undefined && legacyHeight !== undefined) {
    if (Number.isFinite(legacyHeight)) metrics[DEPRECATED_HEIGHT] = legacyHeight;
  }
  if (!CASPER_GAUGES.some((name) => name in metrics) && !(DEPRECATED_HEIGHT in metrics)) {
    throw new ProbeFailure(
      "protocol",
      `no Casper gauges on this page (expected ${CASPER_GAUGES.join(", ")})`,
    );
  }

  const facts: ChainFacts = { metrics };
  const height = wholeNumber(metrics.highest_available_block_height ?? metrics[DEPRECATED_HEIGHT]);
  if (height !== undefined) facts.height = height;
  const peers = wholeNumber(metrics.peers);
  if (peers !== undefined) facts.peers = peers;
  // 0 until the node has finalized a block since it started.
  const finalizedAt = wholeNumber(metrics.time_of_last_finalized_block);
  if (finalizedAt !== undefined && finalizedAt > 0) facts.lastBlockAt = finalizedAt;
  return facts;
}

const wholeNumber = (v: number | undefined): number | undefined =>
  v !== undefined && HeightSchema.safeParse(v).success ? v : undefined;
