import { sidecarStatusRank } from "../core/chains/casper/sidecar-status.ts";
import type { CasperSidecarAdminCheck } from "../core/kinds/casper-sidecar-admin.ts";
import { promSeries, promValue } from "../core/prometheus/parse.ts";
import type { ChainFacts } from "../core/result.ts";
import { fetchPrometheus } from "./casper-metrics.ts";
import type { Probe } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { okResult } from "./outcome.ts";

/** The sidecar's admin page is small: its own metrics plus the process collector's. */
const MAX_SERIES = 10_000;

/**
 * The event sidecar's admin port (18887) `GET /metrics`: `node_statuses{node="ip:port"}` says how
 * its connection to its node stands (2 connected; see core/chains/casper/sidecar-status.ts). With
 * `check.node` that series is read; otherwise the worst of all (a sidecar may follow several
 * nodes). Facts: `sidecarNodeStatus`, and as `metrics` node_statuses, the summed error_counts and
 * process_resident_memory_bytes. A page without node_statuses is a `protocol` failure.
 */
export const casperSidecarAdminProbe: Probe<CasperSidecarAdminCheck> = async (check, run) => {
  const { page, latencyMs } = await fetchPrometheus(check.url, check.maxBodyBytes, MAX_SERIES, run);

  const all = promSeries(page, "node_statuses");
  const series = check.node === undefined ? all : all.filter((s) => s.labels.node === check.node);
  if (series.length === 0) {
    throw new ProbeFailure(
      "protocol",
      all.length === 0
        ? "no node_statuses gauge on this page (not a Casper sidecar's admin /metrics?)"
        : `no node_statuses series for the configured node (the page has ${all.length})`,
    );
  }
  let worst: number | undefined;
  for (const { value } of series) {
    if (!Number.isSafeInteger(value)) throw new ProbeFailure("protocol", "node_statuses is not an integer");
    if (worst === undefined || sidecarStatusRank(value) > sidecarStatusRank(worst)) worst = value;
  }
  const status = worst as number;

  const metrics: Record<string, number> = { node_statuses: status };
  const errors = promSeries(page, "error_counts").reduce((sum, s) => sum + s.value, 0);
  if (Number.isFinite(errors)) metrics.error_counts = errors;
  const memory = promValue(page, "process_resident_memory_bytes");
  if (memory !== undefined && Number.isFinite(memory)) metrics.process_resident_memory_bytes = memory;
  const facts: ChainFacts = { sidecarNodeStatus: status, metrics };
  return okResult(latencyMs, facts);
};
