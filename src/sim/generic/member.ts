import type { Server } from "node:net";
import { TimerSet } from "../timer-set.ts";
import { TrackedListener } from "../tracked-listener.ts";
import type { SimMemberStats } from "../types.ts";
import { MemberStats } from "./member-stats.ts";

/** The fields every member fault shares. */
export interface MemberFault {
  fault: string;
  delayMs?: number;
  userAgentContains?: string;
}

export const DEFAULT_DELAY_MS = 3000;

const HEALTHY = { fault: "healthy" } as const;

/**
 * What the Nano, Chia and JSON members share with each other (and, by shape, with the Casper
 * node): named listeners that close for `refusing` and reopen on the same port, a fault switched
 * one at a time, per-User-Agent faults, counters and timers that stop() clears.
 */
export abstract class SimMember<F extends MemberFault, P extends string, I> {
  readonly id: string;
  readonly host: string;
  readonly timers = new TimerSet();
  readonly counters: MemberStats<P>;
  protected faultSpec: F;
  private readonly portNames: readonly P[];
  private readonly requestedPorts: Partial<Record<P, number>>;
  private readonly listeners = new Map<P, TrackedListener>();
  private faultQueue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  protected constructor(
    id: string,
    host: string,
    portNames: readonly P[],
    requestedPorts: Partial<Record<P, number>>,
    fault: F,
  ) {
    this.id = id;
    this.host = host;
    this.portNames = portNames;
    this.requestedPorts = requestedPorts;
    this.faultSpec = fault;
    this.counters = new MemberStats(portNames);
  }

  abstract info(): I;
  /** Validates a fault body; throws FaultSpecError naming the field. */
  protected abstract parseFault(body: unknown): F;
  /** Called with the new fault before listeners close or reopen. */
  protected onFaultChange(_previous: F, _next: F): void {}

  /** The fault a client with this User-Agent sees: a per-vantage fault leaves the others healthy. */
  faultFor(userAgent: string | undefined): F {
    const spec = this.faultSpec;
    if (spec.userAgentContains === undefined || userAgent?.includes(spec.userAgentContains)) return spec;
    return HEALTHY as unknown as F;
  }

  get fault(): F {
    return { ...this.faultSpec };
  }

  get ports(): Record<P, number> {
    const out = {} as Record<P, number>;
    for (const name of this.portNames) out[name] = this.listeners.get(name)?.port ?? 0;
    return out;
  }

  stats(): SimMemberStats {
    return this.counters.snapshot();
  }

  resetStats(): void {
    this.counters.reset();
  }

  async setFault(body: unknown): Promise<I> {
    const next = this.parseFault(body);
    const applied = this.faultQueue.then(() => this.applyFault(next));
    this.faultQueue = applied.catch(() => undefined);
    return applied;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.faultQueue;
    this.timers.cancelAll();
    await Promise.all([...this.listeners.values()].map((l) => l.close()));
    this.timers.cancelAll();
  }

  /** Subclass constructors register one server per port name. */
  protected attach(name: P, server: Server): void {
    this.listeners.set(name, new TrackedListener(server, this.host));
  }

  /** Binds every port (requested or ephemeral), then applies the initial fault. */
  protected async open(): Promise<void> {
    try {
      await this.openListeners();
    } catch (error) {
      await this.stop();
      throw new Error(`node ${this.id}: cannot listen: ${(error as Error).message}`);
    }
    if (this.closesListeners(this.faultSpec)) await this.closeListeners();
  }

  private async applyFault(next: F): Promise<I> {
    if (this.stopped) throw new Error(`node ${this.id} is stopped`);
    const previous = this.faultSpec;
    this.onFaultChange(previous, next);
    this.faultSpec = next;
    if (this.closesListeners(next)) await this.closeListeners();
    else await this.openListeners();
    return this.info();
  }

  private closesListeners(spec: F): boolean {
    return spec.fault === "refusing" && spec.userAgentContains === undefined;
  }

  private async openListeners(): Promise<void> {
    for (const name of this.portNames) {
      const listener = this.listeners.get(name);
      if (!listener) continue;
      const port = listener.port || this.requestedPorts[name] || 0;
      await listener.listen(port);
    }
  }

  private async closeListeners(): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => l.close()));
  }
}
