import type { CasperSidecarEventsCheck } from "../core/kinds/casper-sidecar-events.ts";
import type { ChainFacts } from "../core/result.ts";
import {
  awaitBlockAdded,
  CasperEventStream,
  EXPIRED,
  parseEventJson,
  versionIn,
  versionOf,
} from "./casper-events.ts";
import type { Probe } from "./contract.ts";
import { ProbeFailure } from "./failure.ts";
import { okResult } from "./outcome.ts";

/** The sidecar's own stream next to `/events` (sidecar sse_server.rs SSE_API_SIDECAR_PATH). */
export function sidecarStreamUrl(eventsUrl: string): string {
  const url = new URL(eventsUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/sidecar`;
  return url.toString();
}

/**
 * The Casper 2.0 event sidecar's SSE port (19999), in two reads under one deadline:
 *
 * 1. `/events/sidecar` must open with `{"SidecarVersion":"x.y.z"}`. Only a sidecar has that
 *    stream, so this proves the URL reaches the sidecar and not a node's own 9999.
 * 2. `/events` must open with the node's `ApiVersion` (the sidecar filters SidecarVersion out of
 *    that stream — sse_server.rs EVENTS_FILTER — so it is tolerated first, not required), and a
 *    relayed `BlockAdded` within `blockWithinMs` proves the sidecar still has a live node behind
 *    it. A sidecar that lost its node keeps the stream open and quiet: ok, `blockSeen: false`,
 *    which evaluates to degraded.
 *
 * Facts: `version` is the node's ApiVersion as relayed (so block-time defaults and version drift
 * compare like with like), `vendor` is `casper-sidecar <SidecarVersion>`, plus blockSeen, height
 * and lastBlockAt as casper-sse reports them. Latency is the first stream's time to headers.
 */
export const casperSidecarEventsProbe: Probe<CasperSidecarEventsCheck> = async (check, run) => {
  const sidecar = new CasperEventStream(run, check);
  const events = new CasperEventStream(run, check);
  const within = check.apiVersionWithinMs;
  const noSidecarVersion = () => new ProbeFailure("timeout", `no SidecarVersion within ${within} ms`);
  const noApiVersion = () => new ProbeFailure("timeout", `no ApiVersion within ${within} ms`);

  try {
    await sidecar.open(sidecarStreamUrl(check.url), within, noSidecarVersion);
  } catch (err) {
    if (err instanceof ProbeFailure && err.httpStatus === 404) {
      throw new ProbeFailure(
        "http_status",
        "HTTP 404 for /events/sidecar: not a Casper event sidecar (a node's own event port?)",
        404,
      );
    }
    throw err;
  }
  const first = await sidecar.next(within);
  if (first === EXPIRED) throw noSidecarVersion();
  if (first === null) throw new ProbeFailure("protocol", "sidecar stream ended before SidecarVersion");
  const sidecarVersion = versionOf(first, "SidecarVersion");
  sidecar.cancel();

  await events.open(check.url, within, noApiVersion);
  let seen = 0;
  let apiVersion: string | undefined;
  while (apiVersion === undefined) {
    const ev = await events.next(within);
    if (ev === EXPIRED) throw noApiVersion();
    if (ev === null) throw new ProbeFailure("protocol", "stream ended before ApiVersion");
    seen += 1;
    const json = parseEventJson(ev, seen);
    if (seen === 1 && versionIn(json, "SidecarVersion") !== undefined) continue;
    apiVersion = versionOf(ev, "ApiVersion", seen);
  }
  const block = await awaitBlockAdded(events, check.blockWithinMs, seen);
  const facts: ChainFacts = { version: apiVersion, vendor: `casper-sidecar ${sidecarVersion}`, ...block };
  return okResult(sidecar.latencyMs ?? run.deadline.elapsed(), facts);
};
