/** How long a monitor's report stays part of the network's picture. */
export const NETWORK_TTL_MS = 5 * 60_000;

interface Seen<T> {
  value: T;
  at: number;
}

/**
 * What the monitors of one network say about it: the reference height (the highest height
 * reported recently by a monitor that looked healthy, so one node can't make itself look
 * current) and the version most of them run (for version drift).
 */
export class NetworkView {
  private readonly heights = new Map<string, Seen<number>>();
  private readonly versions = new Map<string, Seen<string>>();

  recordHeight(monitorId: string, height: number | undefined, at: number): void {
    if (height !== undefined) this.heights.set(monitorId, { value: height, at });
  }

  recordVersion(monitorId: string, version: string | undefined, at: number): void {
    if (version !== undefined) this.versions.set(monitorId, { value: version, at });
  }

  heightAt(now: number): number | undefined {
    let best: number | undefined;
    for (const { value, at } of this.heights.values()) {
      if (now - at <= NETWORK_TTL_MS && (best === undefined || value > best)) best = value;
    }
    return best;
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
    for (const [id, v] of saved?.heights ?? []) view.heights.set(id, v);
    for (const [id, v] of saved?.versions ?? []) view.versions.set(id, v);
    return view;
  }
}
