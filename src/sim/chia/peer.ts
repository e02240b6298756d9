import { createServer, type Socket } from "node:net";
import { FaultSpecError } from "../faults.ts";
import { parseMemberFault } from "../generic/fault-spec.ts";
import { SimMember } from "../generic/member.ts";
import { CHIA_FAULTS, type ChiaFaultSpec, type SimChiaInfo, type SimChiaSpec } from "../types.ts";

/** aiohttp drops a peer that has not finished its handshake in about this long. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * A Chia full node's peer port (8444) as far as a TCP check can see it (CHAINS.md C.3). The real
 * port speaks WebSocket over TLS with certificates from the Chia CA, which only the agent can
 * present; here a connection is accepted and dropped at the first byte (no TLS) or after the
 * handshake timeout. `hung` accepts and holds connections forever, so a connect-only check
 * reports it open, exactly as it would report a real wedged node.
 */
export class SimChiaPeer extends SimMember<ChiaFaultSpec, "peer", SimChiaInfo> {
  readonly kind = "chia";

  static async start(spec: SimChiaSpec, options: { host: string }): Promise<SimChiaPeer> {
    const where = `node ${JSON.stringify(spec.id)}`;
    if (typeof spec.id !== "string" || !/^[A-Za-z0-9._-]+$/.test(spec.id)) {
      throw new Error(`${where}: id: expected letters, digits, . _ -, got ${JSON.stringify(spec.id)}`);
    }
    const port = spec.ports?.peer;
    if (port !== undefined && (!Number.isSafeInteger(port) || port < 0)) {
      throw new Error(`${where}: ports.peer: expected an integer >= 0, got ${JSON.stringify(port)}`);
    }
    let fault: ChiaFaultSpec = { fault: "healthy" };
    if (spec.fault !== undefined) {
      try {
        fault = parseChiaFault(spec.fault);
      } catch (error) {
        if (error instanceof FaultSpecError) throw new Error(`${where}: fault.${error.message}`);
        throw error;
      }
    }
    const peer = new SimChiaPeer(spec.id, options.host, port, fault);
    await peer.open();
    return peer;
  }

  private constructor(id: string, host: string, port: number | undefined, fault: ChiaFaultSpec) {
    super(id, host, ["peer"], port === undefined ? {} : { peer: port }, fault);
    this.attach(
      "peer",
      createServer((socket: Socket) => {
        socket.once("close", this.counters.begin("peer"));
        socket.on("error", () => {});
        if (this.faultSpec.fault === "hung") return;
        socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy());
        socket.once("data", () => socket.destroy());
      }),
    );
  }

  info(): SimChiaInfo {
    return { kind: "chia", id: this.id, host: this.host, ports: this.ports, fault: this.fault };
  }

  protected parseFault(body: unknown): ChiaFaultSpec {
    return parseChiaFault(body);
  }
}

function parseChiaFault(body: unknown): ChiaFaultSpec {
  return parseMemberFault(body, CHIA_FAULTS, {}) as ChiaFaultSpec;
}
