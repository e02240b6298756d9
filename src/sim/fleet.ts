import { SimCasperNode } from "./casper-node.ts";
import { SimChiaPeer } from "./chia/peer.ts";
import { createControlServer, type FleetRegistry } from "./control-server.ts";
import { SimJsonEndpoint } from "./generic/json-endpoint.ts";
import { SimNanoNode } from "./nano/node.ts";
import type {
  FleetInfo,
  FleetSpec,
  SimChiaInfo,
  SimJsonInfo,
  SimNanoInfo,
  SimNodeInfo,
  SimNodeSpec,
} from "./types.ts";

export interface FleetOptions {
  /** Interface for every listener (default 127.0.0.1); the simulator is never exposed beyond loopback. */
  host?: string;
  /** Control API port (default 0 = ephemeral). */
  controlPort?: number;
}

export interface Fleet {
  controlUrl: string;
  /** Casper nodes as they were at start (ports are fixed for the fleet's life). */
  nodes: SimNodeInfo[];
  /** The other members as they were at start, by kind. */
  nano: SimNanoInfo[];
  chia: SimChiaInfo[];
  json: SimJsonInfo[];
  /** Everything above in one object (as at start), the shape GET /fleet returns. */
  info(): Required<FleetInfo>;
  node(id: string): SimCasperNode;
  nanoNode(id: string): SimNanoNode;
  chiaPeer(id: string): SimChiaPeer;
  jsonEndpoint(id: string): SimJsonEndpoint;
  /** Closes every listener, stream and hung socket and clears every timer. */
  stop(): Promise<void>;
}

type Member =
  | { kind: "casper"; member: SimCasperNode }
  | { kind: "nano"; member: SimNanoNode }
  | { kind: "chia"; member: SimChiaPeer }
  | { kind: "json"; member: SimJsonEndpoint };

const isCasper = (spec: FleetSpec): spec is SimNodeSpec => !("kind" in spec) || spec.kind === undefined;

/**
 * Starts every member of `specs` plus the control API. An entry without `kind` is a Casper node
 * (as layouts always were); `kind: "nano" | "chia" | "json"` starts the other members. Node-only:
 * the Worker never imports this.
 */
export async function startFleet(specs: readonly FleetSpec[], opts: FleetOptions = {}): Promise<Fleet> {
  const host = opts.host ?? "127.0.0.1";
  const ids = new Set<string>();
  for (const spec of specs) {
    if (ids.has(spec.id)) throw new Error(`node ${JSON.stringify(spec.id)}: id: used twice in the layout`);
    ids.add(spec.id);
  }

  const t0 = Date.now();
  const start = async (spec: FleetSpec): Promise<Member> => {
    if (isCasper(spec)) return { kind: "casper", member: await SimCasperNode.start(spec, { host, t0 }) };
    switch (spec.kind) {
      case "nano":
        return { kind: "nano", member: await SimNanoNode.start(spec, { host, t0 }) };
      case "chia":
        return { kind: "chia", member: await SimChiaPeer.start(spec, { host }) };
      case "json":
        return { kind: "json", member: await SimJsonEndpoint.start(spec, { host }) };
      default:
        throw new Error(
          `node ${JSON.stringify((spec as { id?: unknown }).id)}: kind: expected nano, chia or json (or none for Casper), got ${JSON.stringify((spec as { kind?: unknown }).kind)}`,
        );
    }
  };
  const started = await Promise.allSettled(specs.map(start));
  const members = new Map<string, Member>();
  for (const result of started)
    if (result.status === "fulfilled") members.set(result.value.member.id, result.value);
  const stopAll = () => Promise.all([...members.values()].map((m) => m.member.stop()));
  const failure = started.find((result) => result.status === "rejected");
  if (failure !== undefined) {
    await stopAll();
    throw failure.reason;
  }

  const all = [...members.values()];
  const ofKind = <K extends Member["kind"]>(kind: K) =>
    all.flatMap((m) => (m.kind === kind ? [m.member as Extract<Member, { kind: K }>["member"]] : []));
  const infoNow = (): Omit<Required<FleetInfo>, "controlUrl"> => ({
    nodes: ofKind("casper").map((n) => n.info()),
    nano: ofKind("nano").map((n) => n.info()),
    chia: ofKind("chia").map((n) => n.info()),
    json: ofKind("json").map((n) => n.info()),
  });
  const registry: FleetRegistry = {
    member: (id) => members.get(id)?.member,
    casperInfos: () => ofKind("casper").map((n) => n.info()),
    fleetInfo: infoNow,
    setValidator: (key, body) => {
      const casper = ofKind("casper").find((n) => n.validators.has(key))?.validators;
      if (casper) return casper.apply(key, body);
      return ofKind("nano")
        .find((n) => n.representatives.has(key))
        ?.representatives.apply(key, body);
    },
  };

  const control = createControlServer(registry, host);
  try {
    await control.listen(opts.controlPort ?? 0);
  } catch (error) {
    await stopAll();
    throw new Error(`fleet control: cannot listen: ${(error as Error).message}`);
  }

  const controlUrl = `http://${host.includes(":") ? `[${host}]` : host}:${control.port}`;
  const atStart = infoNow();
  const lookup = <K extends Member["kind"]>(kind: K, id: string, what: string) => {
    const m = members.get(id);
    if (m === undefined || m.kind !== kind) throw new Error(`fleet: unknown ${what} ${JSON.stringify(id)}`);
    return m.member as Extract<Member, { kind: K }>["member"];
  };
  let stopping: Promise<void> | undefined;
  return {
    controlUrl,
    nodes: atStart.nodes,
    nano: atStart.nano,
    chia: atStart.chia,
    json: atStart.json,
    info: () => ({ controlUrl, ...atStart }),
    node: (id) => lookup("casper", id, "node"),
    nanoNode: (id) => lookup("nano", id, "Nano node"),
    chiaPeer: (id) => lookup("chia", id, "Chia peer"),
    jsonEndpoint: (id) => lookup("json", id, "JSON endpoint"),
    stop(): Promise<void> {
      stopping ??= Promise.all([control.close(), stopAll()]).then(() => undefined);
      return stopping;
    },
  };
}
