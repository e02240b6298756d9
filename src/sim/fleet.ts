import { SimCasperNode } from "./casper-node.ts";
import { createControlServer } from "./control-server.ts";
import type { SimNodeInfo, SimNodeSpec } from "./types.ts";

export interface FleetOptions {
  /** Interface for every listener (default 127.0.0.1); the simulator is never exposed beyond loopback. */
  host?: string;
  /** Control API port (default 0 = ephemeral). */
  controlPort?: number;
}

export interface Fleet {
  controlUrl: string;
  /** Nodes as they were at start (ports are fixed for the fleet's life). */
  nodes: SimNodeInfo[];
  node(id: string): SimCasperNode;
  /** Closes every listener, stream and hung socket and clears every timer. */
  stop(): Promise<void>;
}

/** Starts every node of `specs` plus the control API. Node-only: the Worker never imports this. */
export async function startFleet(specs: SimNodeSpec[], opts: FleetOptions = {}): Promise<Fleet> {
  const host = opts.host ?? "127.0.0.1";
  const ids = new Set<string>();
  for (const spec of specs) {
    if (ids.has(spec.id)) throw new Error(`node ${JSON.stringify(spec.id)}: id: used twice in the layout`);
    ids.add(spec.id);
  }

  const t0 = Date.now();
  const started = await Promise.allSettled(specs.map((spec) => SimCasperNode.start(spec, { host, t0 })));
  const nodes = new Map<string, SimCasperNode>();
  for (const result of started) if (result.status === "fulfilled") nodes.set(result.value.id, result.value);
  const failure = started.find((result) => result.status === "rejected");
  if (failure !== undefined) {
    await Promise.all([...nodes.values()].map((node) => node.stop()));
    throw failure.reason;
  }

  const control = createControlServer(nodes, host);
  try {
    await control.listen(opts.controlPort ?? 0);
  } catch (error) {
    await Promise.all([...nodes.values()].map((node) => node.stop()));
    throw new Error(`fleet control: cannot listen: ${(error as Error).message}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    controlUrl: `http://${host.includes(":") ? `[${host}]` : host}:${control.port}`,
    nodes: [...nodes.values()].map((node) => node.info()),
    node(id: string): SimCasperNode {
      const node = nodes.get(id);
      if (node === undefined) throw new Error(`fleet: unknown node ${JSON.stringify(id)}`);
      return node;
    },
    stop(): Promise<void> {
      stopping ??= Promise.all([control.close(), ...[...nodes.values()].map((node) => node.stop())]).then(
        () => undefined,
      );
      return stopping;
    },
  };
}
