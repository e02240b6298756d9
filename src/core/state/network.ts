/** How long a monitor's report stays part of the network's picture. */
export const NETWORK_TTL_MS = 5 * 60_000;

/** Fewer voters than this form no reference: with two, nobody can tell which one is wrong. */
export const MIN_REFERENCE_NODES = 3;

interface Seen<T> {
  value: T;
  at: number;
  /** Seen by this instance of the object, not restored from storage or replayed after a restart. */
  live?: boolean;
}

/** The network's reference height, or why there is none. */
export interface NetworkReference {
  height?: number;
  /** Fresh heights it was formed from. */
  nodes: number;
  /** How many it needs. */
  needed: number;
}

/**
 * What the monitors of one network say about it: the reference height and the version most of
 * them run (for version drift). The reference is a consensus, never the maximum: the median of the
 * heights that healthy nodes reported recently, each node counted once (`tags.node` groups several
 * monitors of one node; by default each monitor is a voter). One node ahead of the others — a
 * wrong fork, a wrong network — cannot move it, so honest nodes never look "lagging" because of it.
 * Heights from before a restart are not used: a stale reference must not judge fresh heights.
 */
export class NetworkView {
  private readonly heights = new Map<string, Seen<number>>();
  private readonly versions = new Map<string, Seen<string>>();

  /** `live` is false for results replayed from storage after a restart. */
  recordHeight(nodeKey: string, height: number | undefined, at: number, live = true): void {
    if (height !== undefined) this.heights.set(nodeKey, { value: height, at, live });
  }

  recordVersion(monitorId: string, version: string | undefined, at: number): void {
    if (version !== undefined) this.versions.set(monitorId, { value: version, at });
  }

  referenceAt(now: number, needed = MIN_REFERENCE_NODES): NetworkReference {
    const fresh = [...this.heights.values()]
      .filter((s) => s.live && now - s.at <= NETWORK_TTL_MS)
      .map((s) => s.value)
      .sort((a, b) => a - b);
    if (fresh.length < needed) return { nodes: fresh.length, needed };
    // The lower median: with an even count the reference leans towards the slower half.
    const height = fresh[Math.floor((fresh.length - 1) / 2)] as number;
    return { height, nodes: fresh.length, needed };
  }

  /**
   * The version more than two thirds of the recently reporting monitors run; none without such a
   * majority. Two thirds, not half: several monitors often watch one node (its REST, RPC and
   * events), and while a network's monitors report one by one a bare majority can flip.
   */
  majorityVersionAt(now: number): string | undefined {
    const counts = new Map<string, number>();
    let total = 0;
    for (const { value, at } of this.versions.values()) {
      if (now - at > NETWORK_TTL_MS) continue;
      counts.set(value, (counts.get(value) ?? 0) + 1);
      total++;
    }
    for (const [version, n] of counts) if (n * 3 > total * 2 && total >= 3) return version;
    return undefined;
  }

  toJSON() {
    return { heights: [...this.heights], versions: [...this.versions] };
  }

  static from(saved: ReturnType<NetworkView["toJSON"]> | undefined): NetworkView {
    const view = new NetworkView();
    // Restored heights inform nothing until fresh ones arrive (they are not live).
    for (const [id, v] of saved?.heights ?? []) view.heights.set(id, { value: v.value, at: v.at });
    for (const [id, v] of saved?.versions ?? []) view.versions.set(id, v);
    return view;
  }
}
