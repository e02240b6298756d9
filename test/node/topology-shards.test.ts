import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/core/config/schema.ts";
import { monitorsForProber, proberShardOf, probers } from "../../src/core/topology.ts";
import { benchConfig } from "../bench/fleet.ts";

describe("prober shards", () => {
  const targets = Array.from({ length: 5000 }, (_, i) => ({ id: `m-${i}`, url: `http://127.0.0.1:1/${i}` }));
  const config = ConfigSchema.parse(benchConfig(targets, "http", 30));

  it("put every monitor in exactly the shard proberShardOf names, and stay cheap at 5,000", () => {
    const list = probers(config);
    expect(list).toHaveLength(100); // 50 monitors per shard by default
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
});
