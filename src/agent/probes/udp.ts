import type { CheckOf } from "../../core/kinds/index.ts";
import type { ProbeResult } from "../../core/result.ts";
import type { Probe } from "../../probes/contract.ts";
import { ProbeFailure } from "../../probes/failure.ts";
import { okResult } from "../../probes/outcome.ts";
import { udpExchange } from "../net/udp.ts";
import { expectNetwork, keepalive, parseHeader } from "./nano-wire.ts";

/**
 * UDP has no "connected": a datagram sent is not a datagram heard. So these probes only say `up`
 * for a reply, `down` for an ICMP port-unreachable, and `unknown` for silence — reported as an
 * `internal` failure, the kind that evaluates to unknown, because silence proves nothing (a filter,
 * a lost packet, or a service that never answers).
 */
function silence(timeoutMs: number, why: string): ProbeFailure {
  return new ProbeFailure("internal", `no UDP reply within ${timeoutMs} ms: silence proves nothing (${why})`);
}

/** Generic UDP request / expected reply. */
export const udpProbe: Probe<CheckOf<"udp">> = async (check, run) => {
  const { options, deadline } = run;
  const started = performance.now();
  const payload =
    check.sendHex !== undefined
      ? Buffer.from(check.sendHex, "hex")
      : Buffer.from(check.sendText ?? "", "utf8");
  const outcome = await udpExchange(check.host, check.port, payload, deadline.signal, started);
  if (outcome.kind === "silence") {
    if (deadline.caller.aborted) throw deadline.caller.reason;
    throw silence(options.timeoutMs, "a firewall may drop it, or the service may not answer this request");
  }
  return judgeReply(check, outcome.data, outcome.latencyMs);
};

function judgeReply(check: CheckOf<"udp">, data: Buffer, latencyMs: number): ProbeResult {
  if (
    check.expectHex !== undefined &&
    !data.subarray(0, check.expectHex.length / 2).equals(Buffer.from(check.expectHex, "hex"))
  ) {
    throw new ProbeFailure(
      "protocol",
      `reply of ${data.length} bytes does not start with the expected bytes`,
    );
  }
  if (check.expectText !== undefined && !data.toString("utf8").includes(check.expectText)) {
    throw new ProbeFailure("protocol", `reply of ${data.length} bytes does not contain the expected text`);
  }
  return okResult(latencyMs);
}

/**
 * Nano UDP keepalive, for nodes up to V20 (V21 stopped binding UDP by default, V25 removed it). A
 * Nano message back from the node is `up`; the reply's header gives network and protocol version.
 */
export const nanoUdpKeepaliveProbe: Probe<CheckOf<"nano-udp-keepalive">> = async (check, run) => {
  const { options, deadline } = run;
  const started = performance.now();
  const outcome = await udpExchange(
    check.host,
    check.port,
    keepalive(check.network),
    deadline.signal,
    started,
  );
  if (outcome.kind === "silence") {
    if (deadline.caller.aborted) throw deadline.caller.reason;
    throw silence(options.timeoutMs, "nodes from V21 on do not use UDP; a firewall may drop it");
  }
  const header = parseHeader(outcome.data);
  expectNetwork(header, check.network);
  return okResult(outcome.latencyMs, {
    protocolVersion: String(header.versionUsing),
    chainName: check.network,
  });
};
