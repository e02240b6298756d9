import { createHash } from "node:crypto";
import type { CasperValidatorSet } from "./casper-validators.ts";

/**
 * Blocks per era. Real networks need at least 20 blocks per era (chainspec `minimum_era_height`);
 * keeping it that small lets eras, and so `next_upgrade` activation points, move during a demo.
 */
export const BLOCKS_PER_ERA = 20;

/** How old the last block of a node that starts in the `stalled` fault is. */
export const STALLED_AT_START_AGE_MS = 10 * 60 * 1000;

/** A block as a node reports it: its height and the time it was produced. */
export interface BlockRef {
  height: number;
  timestampMs: number;
}

export interface CasperChainOptions {
  /** Hashes derive from the chain name, so every node of one network agrees on them. */
  chainName: string;
  startHeight: number;
  blockTimeMs: number;
  /** The moment `startHeight` was produced (fleet start). */
  t0: number;
  /** Who validates the network (proposers, auction, status changes); shared by its nodes. */
  validators?: CasperValidatorSet;
}

/**
 * The simulated network's chain: a block every `blockTimeMs` since `t0`, each with hashes that
 * depend only on chain name and height, so any node and any later request agree on them.
 */
export class CasperChain {
  readonly chainName: string;
  readonly startHeight: number;
  readonly blockTimeMs: number;
  readonly t0: number;
  readonly validators?: CasperValidatorSet;

  constructor(options: CasperChainOptions) {
    this.validators = options.validators;
    this.chainName = options.chainName;
    this.startHeight = options.startHeight;
    this.blockTimeMs = options.blockTimeMs;
    this.t0 = options.t0;
  }

  /** Height of the network's newest block at `now`. */
  heightAt(now: number): number {
    return this.startHeight + Math.floor((now - this.t0) / this.blockTimeMs);
  }

  producedAt(height: number): number {
    return this.t0 + (height - this.startHeight) * this.blockTimeMs;
  }

  /** When the network's next block after `now` appears. */
  nextBlockAt(now: number): number {
    return this.producedAt(this.heightAt(now) + 1);
  }

  /** Newest block of a node `lagBlocks` behind the network. */
  latest(now: number, lagBlocks = 0): BlockRef {
    const height = Math.max(0, this.heightAt(now) - lagBlocks);
    return { height, timestampMs: this.producedAt(height) };
  }

  /** Where a node that stopped 10 minutes before the fleet started is stuck. */
  stalledBeforeStart(): BlockRef {
    const behind = Math.floor(STALLED_AT_START_AGE_MS / this.blockTimeMs);
    return { height: Math.max(0, this.startHeight - behind), timestampMs: this.t0 - STALLED_AT_START_AGE_MS };
  }

  eraOf(height: number): number {
    return Math.floor(height / BLOCKS_PER_ERA);
  }

  /** The last block of the era before `height`'s (the switch block 2.0 reports). */
  lastSwitchBlockHeight(height: number): number {
    return Math.max(0, this.eraOf(height) * BLOCKS_PER_ERA - 1);
  }

  blockHash(height: number): string {
    return this.digest("block", height);
  }

  stateRootHash(height: number): string {
    return this.digest("state-root", height);
  }

  bodyHash(height: number): string {
    return this.digest("body", height);
  }

  accumulatedSeed(height: number): string {
    return this.digest("seed", height);
  }

  /** The validator that proposed `height` (an ed25519-shaped key, "01" + 64 hex). */
  proposer(height: number): string {
    if (this.validators) return this.validators.proposer(height);
    return `01${this.digest("validator", height % 5)}`;
  }

  /** Finds a recent block by hash; RPC callers may ask for one they saw a moment ago. */
  findHeightByHash(hash: string, newest: number, searchDepth = 1000): number | undefined {
    const wanted = hash.toLowerCase();
    for (let height = newest; height >= Math.max(0, newest - searchDepth); height--) {
      if (this.blockHash(height) === wanted) return height;
    }
    return undefined;
  }

  private digest(kind: string, height: number): string {
    return sha256Hex(`${this.chainName}:${kind}:${height}`);
  }
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function sha512Hex(text: string): string {
  return createHash("sha512").update(text).digest("hex");
}
