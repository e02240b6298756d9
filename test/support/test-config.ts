import type { ConfigInput } from "../../src/core/config/schema.ts";
import type { FleetInfo, SimNodeInfo } from "../../src/sim/types.ts";

type MonitorInput = ConfigInput["monitors"][number];

const rules = { blockTimeSec: 1, expectChainName: "casper-test", maxLagBlocks: 5 };
const tags = { network: "casper-test", operator: "Test Ops" };

function node(fleet: FleetInfo, id: string): SimNodeInfo {
  const n = fleet.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`test fleet has no node ${id}`);
  return n;
}

function monitor(id: string, check: MonitorInput["check"], extra: Partial<MonitorInput> = {}): MonitorInput {
  return {
    id,
    name: `Test ${id}`,
    chain: "casper",
    check,
    // Long intervals: tests drive probes themselves (tick with force) and real alarms stay out of the way.
    intervalSec: 600,
    timeoutMs: 3000,
    regions: ["weur"],
    tags,
    rules,
    ...extra,
  };
}

/** The config the workerd tests run with: monitors over the e2e-* nodes of the test fleet. */
export function testConfigFor(fleet: FleetInfo): ConfigInput {
  const url = (id: string, port: "rest" | "rpc" | "sse", path: string) => {
    const n = node(fleet, id);
    return `http://${n.host}:${n.ports[port]}${path}`;
  };
  const a = node(fleet, "e2e-a");
  return {
    version: 1,
    monitors: [
      monitor(
        "a-rest",
        { kind: "casper-rest", url: url("e2e-a", "rest", "/status") },
        { regions: ["weur", "enam"], public: true },
      ),
      monitor("a-rpc", { kind: "casper-rpc", url: url("e2e-a", "rpc", "/rpc") }),
      monitor("a-events", { kind: "casper-sse", url: url("e2e-a", "sse", "/events"), blockWithinMs: 2500 }),
      monitor("a-p2p", { kind: "tcp", host: a.host, port: a.ports.p2p }),
      monitor("b-rest", { kind: "casper-rest", url: url("e2e-b", "rest", "/status") }),
      monitor("c-rest", { kind: "casper-rest", url: url("e2e-c", "rest", "/status") }),
      monitor("d-rest", { kind: "casper-rest", url: url("e2e-d", "rest", "/status") }),
      monitor("e-rpc", { kind: "casper-rpc", url: url("e2e-e", "rpc", "/rpc") }),
      // Twelve monitors on one node, probed from their own region, to watch the in-flight limit.
      ...Array.from({ length: 12 }, (_, i) =>
        monitor(
          `lim-${i + 1}`,
          { kind: "casper-rest", url: url("e2e-d", "rest", "/status") },
          { regions: ["apac"] },
        ),
      ),
    ],
  };
}
