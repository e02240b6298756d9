import type { BlockRef, CasperChain } from "./casper-chain.ts";
import type { CasperValidatorSet } from "./casper-validators.ts";
import type { NodeStats } from "./node-stats.ts";
import type { TimerSet } from "./timer-set.ts";
import type { FaultSpec, SimVersion } from "./types.ts";

/** What one request sees: the fault that applies to its User-Agent and the chain under that fault. */
export interface RequestScope {
  now: number;
  fault: FaultSpec;
  /** The node's newest block as this request sees it. */
  block: BlockRef;
  /** The healthy network's newest height (CatchUp reports what it is syncing towards). */
  networkHeight: number;
}

/** The node as its port handlers see it; implemented by SimCasperNode. */
export interface SimNodeContext {
  readonly id: string;
  readonly version: SimVersion;
  readonly chainName: string;
  readonly peerCount: number;
  readonly keepAliveMs: number;
  readonly startedAt: number;
  readonly chain: CasperChain;
  readonly validators: CasperValidatorSet;
  readonly validatorKey: string;
  readonly counters: NodeStats;
  /** Every timer a handler starts goes here, so stop() can clear what the sockets left behind. */
  readonly timers: TimerSet;
  scopeFor(userAgent: string | undefined): RequestScope;
}
