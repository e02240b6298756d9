import { type BlockRef, CasperChain } from "./casper-chain.ts";
import { createP2pServer } from "./casper-p2p.ts";
import { restHandler } from "./casper-rest.ts";
import { rpcHandler } from "./casper-rpc.ts";
import { SIDECAR_USER_AGENT, SimSidecar } from "./casper-sidecar.ts";
import { SseHub } from "./casper-sse.ts";
import { type CasperValidatorSet, simValidatorKey, validatorSetOf } from "./casper-validators.ts";
import {
  closesListeners,
  effectiveFault,
  FaultSpecError,
  lagBlocksOf,
  parseFaultSpec,
  SIDECAR_FAULTS,
} from "./faults.ts";
import { createFaultyHttpServer } from "./http-port.ts";
import type { RequestScope, SimNodeContext } from "./node-context.ts";
import { type ResolvedNodeSpec, resolveNodeSpec } from "./node-spec.ts";
import { NodeStats } from "./node-stats.ts";
import { TimerSet } from "./timer-set.ts";
import { TrackedListener } from "./tracked-listener.ts";
import type { FaultSpec, SimNodeInfo, SimNodeSpec, SimNodeStats, SimPorts, SimVersion } from "./types.ts";

export interface SimNodeOptions {
  /** Interface every listener binds; loopback only. */
  host: string;
  /** When the fleet's chains produced their start height; shared so nodes agree on the network. */
  t0: number;
}

const PORT_NAMES = ["rest", "rpc", "sse", "p2p"] as const;
type NodePortName = (typeof PORT_NAMES)[number];

/**
 * One simulated Casper node: REST, JSON-RPC, SSE and P2P listeners over one chain model, with a
 * fault that can be switched while it runs; with `sidecar: true`, also the event sidecar's three
 * ports in front of it (casper-sidecar.ts).
 */
export class SimCasperNode implements SimNodeContext {
  readonly id: string;
  readonly version: SimVersion;
  readonly chainName: string;
  readonly peerCount: number;
  readonly keepAliveMs: number;
  readonly startedAt: number;
  readonly host: string;
  readonly chain: CasperChain;
  readonly validators: CasperValidatorSet;
  /** The key this node signs with (`our_public_signing_key`). */
  readonly validatorKey: string;
  readonly counters: NodeStats;
  readonly timers = new TimerSet();

  private faultSpec: FaultSpec;
  /** Where a stalled node stopped; kept per stall so its height and block time stay frozen. */
  private frozenBlock: BlockRef | undefined;
  private readonly sse: SseHub;
  private readonly listeners: Record<NodePortName, TrackedListener>;
  private readonly sidecar: SimSidecar | undefined;
  private readonly requestedPorts: SimPorts;
  /** Fault switches run one at a time: closing and reopening listeners must not interleave. */
  private faultQueue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  /** Starts the node (all four listeners bound, and the sidecar's, then the initial fault applied). */
  static async start(spec: SimNodeSpec, options: SimNodeOptions): Promise<SimCasperNode> {
    const node = new SimCasperNode(resolveNodeSpec(spec), options);
    try {
      await node.openListeners();
      await node.sidecar?.start(node.faultSpec);
    } catch (error) {
      await node.stop();
      throw new Error(`node ${node.id}: cannot listen: ${(error as Error).message}`);
    }
    if (closesListeners(node.faultSpec)) await node.closeListeners();
    node.scheduleNextBlock();
    return node;
  }

  private constructor(spec: ResolvedNodeSpec, options: SimNodeOptions) {
    this.id = spec.id;
    this.version = spec.version;
    this.chainName = spec.chainName;
    this.peerCount = spec.peers;
    this.keepAliveMs = spec.keepAliveMs;
    this.host = options.host;
    this.counters = new NodeStats(spec.sidecar);
    this.startedAt = options.t0;
    this.validators = validatorSetOf(spec.chainName, options.t0);
    if (spec.auction) this.validators.resize(spec.auction);
    this.validatorKey = spec.validatorKey ?? simValidatorKey(`node:${spec.id}`);
    this.validators.join(this.validatorKey, spec.validatorWeight, spec.validatorStatus);
    this.chain = new CasperChain({
      chainName: spec.chainName,
      startHeight: spec.startHeight,
      blockTimeMs: spec.blockTimeMs,
      t0: options.t0,
      validators: this.validators,
    });
    const chain = this.chain;
    this.validators.heightNow = () => chain.heightAt(Date.now());
    this.faultSpec = spec.fault;
    if (spec.fault.fault === "stalled") this.frozenBlock = this.chain.stalledBeforeStart();
    this.requestedPorts = spec.ports;
    this.sse = new SseHub(this);
    this.listeners = {
      rest: new TrackedListener(createFaultyHttpServer(this, "rest", restHandler(this)), this.host),
      rpc: new TrackedListener(createFaultyHttpServer(this, "rpc", rpcHandler(this)), this.host),
      sse: new TrackedListener(createFaultyHttpServer(this, "sse", this.sse.handle), this.host),
      p2p: new TrackedListener(createP2pServer(this), this.host),
    };
    this.sidecar = spec.sidecar
      ? new SimSidecar(this, {
          host: this.host,
          ports: spec.ports,
          nodeSsePort: () => this.listeners.sse.port,
          fault: () => this.faultSpec,
        })
      : undefined;
  }

  get fault(): FaultSpec {
    return { ...this.faultSpec };
  }

  get ports(): SimPorts {
    return {
      rest: this.listeners.rest.port,
      rpc: this.listeners.rpc.port,
      sse: this.listeners.sse.port,
      p2p: this.listeners.p2p.port,
      ...this.sidecar?.ports,
    };
  }

  scopeFor(userAgent: string | undefined): RequestScope {
    const now = Date.now();
    const fault = effectiveFault(this.faultSpec, userAgent);
    return { now, fault, block: this.blockUnder(fault, now), networkHeight: this.chain.heightAt(now) };
  }

  /** `height` is what a client without a matching User-Agent sees. */
  info(): SimNodeInfo {
    return {
      id: this.id,
      version: this.version,
      chainName: this.chainName,
      host: this.host,
      ports: this.ports,
      fault: this.fault,
      height: this.scopeFor(undefined).block.height,
      blockTimeMs: this.chain.blockTimeMs,
    };
  }

  stats(): SimNodeStats {
    return this.counters.snapshot();
  }

  resetStats(): void {
    this.counters.reset();
  }

  /** Switches the fault; resolves once listeners are closed (refusing) or listening again. */
  async setFault(spec: FaultSpec): Promise<SimNodeInfo> {
    const next = parseFaultSpec(spec);
    if (this.sidecar === undefined && SIDECAR_FAULTS.has(next.fault)) {
      throw new FaultSpecError(
        `fault: ${next.fault} needs a node that runs a sidecar (node ${this.id} does not)`,
      );
    }
    const applied = this.faultQueue.then(() => this.applyFault(next));
    this.faultQueue = applied.catch(() => undefined);
    return applied;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.faultQueue;
    this.timers.cancelAll();
    this.sse.closeAll();
    await Promise.all([...PORT_NAMES.map((name) => this.listeners[name].close()), this.sidecar?.stop()]);
    // Closing sockets fires handlers that may have armed timers on the way out.
    this.timers.cancelAll();
  }

  private async applyFault(next: FaultSpec): Promise<SimNodeInfo> {
    if (this.stopped) throw new Error(`node ${this.id} is stopped`);
    const previous = this.faultSpec;
    // What the sidecar had received until now; it keeps that if the new fault cuts it off.
    const sidecarHad = this.scopeFor(SIDECAR_USER_AGENT).block;
    // Freeze what the node showed a moment ago (a lagging node stalls where it lagged).
    this.frozenBlock = next.fault === "stalled" ? this.blockUnder(this.faultSpec, Date.now()) : undefined;
    this.faultSpec = next;
    if (closesListeners(next)) await this.closeListeners();
    else await this.openListeners();
    this.sse.onFaultChanged();
    await this.sidecar?.onFaultChanged(previous, next, sidecarHad);
    return this.info();
  }

  private blockUnder(fault: FaultSpec, now: number): BlockRef {
    switch (fault.fault) {
      case "stalled":
        return this.frozenBlock ?? this.chain.latest(now);
      case "lagging":
      case "catchup":
        return this.chain.latest(now, lagBlocksOf(fault));
      default:
        return this.chain.latest(now);
    }
  }

  /** First call binds the requested (or ephemeral) ports; later calls rebind the same ones. */
  private async openListeners(): Promise<void> {
    for (const name of PORT_NAMES) {
      const listener = this.listeners[name];
      await listener.listen(listener.port || this.requestedPorts[name]);
    }
  }

  private async closeListeners(): Promise<void> {
    await Promise.all(PORT_NAMES.map((name) => this.listeners[name].close()));
  }

  private scheduleNextBlock(): void {
    const now = Date.now();
    // +1 ms: a timer may wake a hair early, before the height has moved.
    const wait = this.chain.nextBlockAt(now) - now + 1;
    this.timers.after(wait, () => {
      this.sse.onNewBlock();
      this.sidecar?.onNewBlock();
      this.scheduleNextBlock();
    });
  }
}
