import type { Region } from "./config/regions.ts";
import type { Config, Monitor } from "./config/schema.ts";
import { fnv1a } from "./hash.ts";

/**
 * Where each monitor lives: which prober object (region × shard) runs it, and which state
 * object keeps its verdicts. State is grouped by network so that the network's reference
 * height (for lag) is known in one place without cross-object calls.
 */
export interface ProberAddress {
  region: Region;
  shard: number;
  /** Durable Object name. */
  name: string;
}

export function networkKey(m: Monitor): string {
  return `${m.chain}:${m.tags.network ?? "default"}`;
}

export function stateShardOf(m: Monitor): string {
  return `state:${networkKey(m)}`;
}

function monitorsIn(config: Config, region: Region): Monitor[] {
  return config.monitors.filter((m) => m.regions.includes(region));
}

export function shardCount(config: Config, region: Region): number {
  return Math.max(1, Math.ceil(monitorsIn(config, region).length / config.scheduler.monitorsPerShard));
}

export function proberName(region: Region, shard: number): string {
  return `prober:${region}:${shard}`;
}

export function proberShardOf(config: Config, m: Monitor, region: Region): number {
  return fnv1a(m.id) % shardCount(config, region);
}

/**
 * Each region's monitors split by shard, computed once per loaded config: asking per monitor
 * (shardCount scans the whole config) made a tick O(monitors²), 0.44 s of CPU per prober tick
 * at 5,000 monitors, and the cron's watchdog 100 times that.
 */
const assignments = new WeakMap<Config, Map<Region, Monitor[][]>>();

function shardsOf(config: Config, region: Region): Monitor[][] {
  let byRegion = assignments.get(config);
  if (!byRegion) {
    byRegion = new Map();
    assignments.set(config, byRegion);
  }
  let shards = byRegion.get(region);
  if (!shards) {
    const n = shardCount(config, region);
    const split: Monitor[][] = Array.from({ length: n }, () => []);
    for (const m of monitorsIn(config, region)) split[fnv1a(m.id) % n]?.push(m);
    shards = split;
    byRegion.set(region, shards);
  }
  return shards;
}

export function monitorsForProber(config: Config, region: Region, shard: number): Monitor[] {
  return shardsOf(config, region)[shard] ?? [];
}

export function probers(config: Config): ProberAddress[] {
  const regions = new Set<Region>(config.monitors.flatMap((m) => m.regions));
  const out: ProberAddress[] = [];
  for (const region of regions) {
    const n = shardCount(config, region);
    for (let shard = 0; shard < n; shard++) out.push({ region, shard, name: proberName(region, shard) });
  }
  return out;
}

export function stateShards(config: Config): string[] {
  return [...new Set(config.monitors.map(stateShardOf))];
}

const indexes = new WeakMap<Config, Map<string, Monitor>>();
const byStateShard = new WeakMap<Config, Map<string, Monitor[]>>();

/**
 * Monitors by id, built once per loaded config: the runner looks monitors up in every invocation
 * and the state objects in every batch, and a 5,000-entry map built each time was CPU per probe.
 */
export function monitorIndex(config: Config): ReadonlyMap<string, Monitor> {
  let index = indexes.get(config);
  if (!index) {
    index = new Map(config.monitors.map((m) => [m.id, m]));
    indexes.set(config, index);
  }
  return index;
}

/** The monitors whose verdicts one state object keeps, once per loaded config. */
export function monitorsOfStateShard(config: Config, shard: string): readonly Monitor[] {
  let shards = byStateShard.get(config);
  if (!shards) {
    shards = new Map();
    for (const m of config.monitors) {
      const name = stateShardOf(m);
      const list = shards.get(name);
      if (list) list.push(m);
      else shards.set(name, [m]);
    }
    byStateShard.set(config, shards);
  }
  return shards.get(shard) ?? [];
}

export function findMonitor(config: Config, id: string): Monitor | undefined {
  return monitorIndex(config).get(id);
}
