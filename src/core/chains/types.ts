import type { Reason } from "../verdict.ts";

/** What a chain evaluator remembers per monitor and vantage between probes. */
export interface ChainMemory {
  height?: number;
  heightChangedAt?: number;
}

export interface ChainContext {
  now: number;
  previous?: ChainMemory;
  /** Highest height among healthy monitors of the same network seen recently. */
  networkHeight?: number;
  /** The version most of the network's monitored nodes run, if there is a majority. */
  networkVersion?: string;
}

export interface ChainEvaluation {
  reasons: Reason[];
  /** The node declared itself in planned maintenance (e.g. upgrading). */
  maintenance: boolean;
  memory: ChainMemory;
  /** Height this result may contribute to the network reference, if the node looks healthy. */
  referenceHeight?: number;
}
