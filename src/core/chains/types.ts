import type { Reason } from "../verdict.ts";

/** What a chain evaluator remembers per monitor and vantage between probes. */
export interface ChainMemory {
  height?: number;
  heightChangedAt?: number;
  /** Validator kinds: since when the key has been missing from the network's view (unix ms). */
  absentSince?: number;
}

export interface ChainContext {
  now: number;
  previous?: ChainMemory;
  /** The network's reference height: the median of heights healthy nodes of it reported recently. */
  networkHeight?: number;
  /** Set when there is no reference because too few nodes report (lag is then not judged). */
  networkShortOf?: { nodes: number; needed: number };
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
