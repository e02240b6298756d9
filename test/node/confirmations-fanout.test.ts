import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/core/config/schema.ts";
import { proberName, proberShardOf } from "../../src/core/topology.ts";
import { requestConfirmations } from "../../src/worker/confirm.ts";

describe("confirmation requests", () => {
  // 300 monitors in three regions, 100 per prober: three probers per region.
  const config = ConfigSchema.parse({
    version: 1,
    scheduler: { monitorsPerShard: 100 },
    monitors: Array.from({ length: 300 }, (_, i) => ({
      id: `m-${i}`,
      name: `m ${i}`,
      chain: "generic",
      check: { kind: "http", url: `http://127.0.0.1:1/${i}` },
      regions: ["weur", "enam", "apac"],
    })),
  });
  const calls: { name: string; region: string; ids: string[] }[] = [];
  const probeNow = async (name: string, region: string, ids: string[]) => {
    calls.push({ name, region, ids });
  };

  it("asks each prober once, for all of its failing monitors, when many fail together", async () => {
    calls.length = 0;
    const failing = config.monitors.slice(0, 250);
    await Promise.all(
      requestConfirmations(
        config,
        failing.map((m) => ({ monitorId: m.id, from: "weur" as const })),
        probeNow,
      ),
    );
    // Every failing monitor is asked of every region (two others and its own), each once.
    const asked = new Map<string, string[]>();
    for (const c of calls) for (const id of c.ids) asked.set(id, [...(asked.get(id) ?? []), c.region]);
    expect(asked.size).toBe(250);
    for (const regions of asked.values()) expect(regions.sort()).toEqual(["apac", "enam", "weur"]);
    // ... in one call per prober: at most the 9 probers there are, not 750 calls.
    const names = calls.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(calls.length).toBeLessThanOrEqual(9);
    for (const c of calls)
      for (const id of c.ids) {
        const m = config.monitors.find((x) => x.id === id);
        expect(m && proberName(c.region as "weur", proberShardOf(config, m, c.region as "weur"))).toBe(
          c.name,
        );
      }
  });

  it("asks nothing for a monitor no longer in the config", async () => {
    calls.length = 0;
    await Promise.all(requestConfirmations(config, [{ monitorId: "gone", from: "weur" }], probeNow));
    expect(calls).toEqual([]);
  });
});
