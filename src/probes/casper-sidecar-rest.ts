import { parseSidecarBlock } from "../core/chains/casper/block.ts";
import type { CasperSidecarRestCheck } from "../core/kinds/casper-sidecar-rest.ts";
import type { ChainFacts } from "../core/result.ts";
import type { Probe } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { fetchExplained } from "./http-answer.ts";
import { okResult } from "./outcome.ts";

/** `<base>/block`, keeping any path prefix and query; a URL that already ends in /block is kept. */
export function sidecarBlockUrl(base: string): string {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith("/block")) url.pathname = `${path}/block`;
  return url.toString();
}

/**
 * The event sidecar's REST port (18888): `GET /block` is the latest block the sidecar stored from
 * its node (reference/CHAINS.md A.7: "its timestamp should move"). Facts: `height`, `lastBlockAt`
 * and, as `version`, the block's protocol version, which picks the block-time profile (a sidecar
 * runs in front of 2.x nodes only). A sidecar that lost its node answers with a block that no
 * longer moves, which the evaluator reads as stale and stalled.
 */
export const casperSidecarRestProbe: Probe<CasperSidecarRestCheck> = async (check, run) => {
  const { options, deadline } = run;
  const res = await fetchExplained(
    sidecarBlockUrl(check.url),
    { headers: { accept: "application/json" }, maxBodyBytes: check.maxBodyBytes },
    options,
    deadline,
  );
  run.latencyMs = res.latencyMs;
  const block = parseSidecarBlock(await res.json());
  if (!block.ok) throw new ProbeFailure("protocol", `not a sidecar block: ${block.problem}`);
  const facts: ChainFacts = { height: block.value.height, lastBlockAt: block.value.timestamp };
  if (block.value.protocolVersion !== undefined) facts.version = block.value.protocolVersion;
  return okResult(res.latencyMs, facts);
};
