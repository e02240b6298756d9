/** How long a healthy height stays a valid reference for the network. */
export const REFERENCE_TTL_MS = 5 * 60_000;

/**
 * The network's reference height: the highest height reported recently by a monitor that looked
 * healthy. Lag is measured against it, so one node can't make itself look current.
 */
export class NetworkReference {
  private readonly heights = new Map<string, { height: number; at: number }>();

  record(monitorId: string, height: number | undefined, at: number): void {
    if (height !== undefined) this.heights.set(monitorId, { height, at });
  }

  heightAt(now: number): number | undefined {
    let best: number | undefined;
    for (const { height, at } of this.heights.values()) {
      if (now - at <= REFERENCE_TTL_MS && (best === undefined || height > best)) best = height;
    }
    return best;
  }

  toJSON(): [string, { height: number; at: number }][] {
    return [...this.heights];
  }

  static from(entries: [string, { height: number; at: number }][] | undefined): NetworkReference {
    const ref = new NetworkReference();
    for (const [id, v] of entries ?? []) ref.heights.set(id, v);
    return ref;
  }
}
