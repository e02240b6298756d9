import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MonitorView } from "../../src/worker/state/shard-report.ts";
import { board } from "./helpers.ts";

// One network of thousands of monitors: its full report is larger than the 2 MB a SQLite row may
// hold on Cloudflare, so the board keeps it in parts of at most 1 MB and still gives back every view.

const view = (i: number): MonitorView => ({
  id: `large-${i}`,
  state: "up",
  since: 1_700_000_000_000,
  reasons: [],
  height: 5_000_000 + i,
  latencyMs: 123,
  checkedAt: 1_700_000_000_000 + i,
  vantages: ["weur", "enam", "apac"].map((region) => ({
    region,
    state: "up" as const,
    since: 1_700_000_000_000,
    checkedAt: 1_700_000_000_000 + i,
    latencyMs: 120,
    height: 5_000_000 + i,
    reasons: [],
  })),
});

describe("a board with one very large network", () => {
  it("stores a full report of 8,000 monitors (over 2 MB as one JSON) and returns every view", async () => {
    const monitors = Array.from({ length: 8_000 }, (_, i) => view(i));
    expect(JSON.stringify(monitors).length).toBeGreaterThan(2 * 1024 * 1024);
    const report = {
      shard: "state:test:large",
      at: Date.now(),
      transitions: [],
      incidents: [],
      monitors,
      full: true,
    };
    await board().update(report);
    // Local SQLite takes a longer row; Cloudflare's does not, so the board must not write one.
    const sizes = await runInDurableObject(board(), (_i, state) =>
      state.storage.sql
        .exec<{ n: number }>("SELECT length(data) AS n FROM shard_parts WHERE name = ?", report.shard)
        .toArray()
        .map((r) => r.n),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    for (const n of sizes) expect(n).toBeLessThanOrEqual(1_000_000);
    const views = (await board().snapshot()).monitors.filter((v) => v.id.startsWith("large-"));
    expect(views).toHaveLength(8_000);
    expect(views.find((v) => v.id === "large-7999")?.height).toBe(5_007_999);
    // A second full report with fewer monitors replaces the first entirely.
    await board().update({ ...report, monitors: monitors.slice(0, 10) });
    expect((await board().snapshot()).monitors.filter((v) => v.id.startsWith("large-"))).toHaveLength(10);
    const left = await runInDurableObject(board(), (_i, state) =>
      state.storage.sql.exec("SELECT part FROM shard_parts WHERE name = ?", report.shard).toArray(),
    );
    expect(left).toHaveLength(1); // the parts past the new report's one are gone
  });
});
