import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/core/config/schema.ts";
import { slotClock, TICK_WINDOW_MS } from "../../src/core/schedule.ts";
import { monitorsForProber, proberShardOf, probers } from "../../src/core/topology.ts";
import { benchConfig } from "../bench/fleet.ts";

describe("prober shards", () => {
  const targets = Array.from({ length: 5000 }, (_, i) => ({ id: `m-${i}`, url: `http://127.0.0.1:1/${i}` }));
  // Small shards (50 monitors) make 100 of them: many shards is where aliasing and cost show.
  const config = ConfigSchema.parse({
    ...benchConfig(targets, "http", 30),
    scheduler: { monitorsPerShard: 50 },
  });

  it("put every monitor in exactly the shard proberShardOf names, and stay cheap at 5,000", () => {
    const list = probers(config);
    expect(list).toHaveLength(100);
    expect(probers(ConfigSchema.parse(benchConfig(targets, "http", 30)))).toHaveLength(10); // 500 by default
    const t0 = performance.now();
    const seen = new Map<string, number>();
    for (const p of list)
      for (const m of monitorsForProber(config, p.region, p.shard)) {
        expect(seen.has(m.id)).toBe(false);
        seen.set(m.id, p.shard);
      }
    const ms = performance.now() - t0;
    expect(seen.size).toBe(5000);
    for (const m of config.monitors.slice(0, 200))
      expect(seen.get(m.id)).toBe(proberShardOf(config, m, "weur"));
    expect(ms).toBeLessThan(1000); // was 0.44 s per prober (44 s for all) before shards were split once
    expect(monitorsForProber(config, "enam", 0)).toEqual([]);
  });

  it("do not alias with phases: every prober's monitors spread over every window of the interval", () => {
    // 5,000 monitors every 30 s: 100 shards of 50, 6 windows of 5 s. Phase and shard once came from
    // one hash, and each shard then saw 3 of the 6 (twice the monitors per wake-up).
    let emptyWindows = 0;
    for (const p of probers(config)) {
      const counts = new Map<number, number>();
      for (const m of monitorsForProber(config, p.region, p.shard)) {
        const window = Math.floor(slotClock(m.id, m.intervalSec).phaseMs / TICK_WINDOW_MS);
        counts.set(window, (counts.get(window) ?? 0) + 1);
      }
      // (Aliased, a prober saw 3; at random, 50 monitors leave a window empty about once in 9,000.)
      expect(counts.size, p.name).toBeGreaterThanOrEqual(5);
      emptyWindows += 6 - counts.size;
      // About 50 / 6 ≈ 8 each; never half the shard in one window.
      expect(Math.max(...counts.values()), p.name).toBeLessThanOrEqual(20);
    }
    expect(emptyWindows).toBeLessThanOrEqual(2); // of 600 (aliased: 300)
  });
});
