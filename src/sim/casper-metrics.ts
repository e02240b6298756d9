import type { RequestScope, SimNodeContext } from "./node-context.ts";

interface Gauge {
  name: string;
  help: string;
  value: number;
}

/**
 * GET /metrics: the health-relevant gauges of a real node, with the names and help texts of
 * casper-node 1.5 (network, storage and consensus metrics), as Prometheus text.
 */
export function buildMetrics(node: SimNodeContext, scope: RequestScope): string {
  const { height, timestampMs } = scope.block;
  const gauges: Gauge[] = [
    { name: "peers", help: "number of connected peers", value: node.peerCount },
    {
      name: "highest_available_block_height",
      help: "highest height of the available block range (the highest contiguous chain of complete blocks)",
      value: height,
    },
    {
      name: "lowest_available_block_height",
      help: "lowest height of the available block range (the highest contiguous chain of complete blocks)",
      value: 0,
    },
    { name: "chain_height", help: "highest complete block (DEPRECATED)", value: height },
    {
      name: "time_of_last_finalized_block",
      help: "timestamp of the most recently finalized block",
      value: timestampMs,
    },
    { name: "consensus_current_era", help: "the current era in consensus", value: node.chain.eraOf(height) },
  ];
  return gauges
    .map((g) => `# HELP ${g.name} ${g.help}\n# TYPE ${g.name} gauge\n${g.name} ${g.value}\n`)
    .join("");
}
