import { describe, expect, it } from "vitest";
import { isSilenced } from "../../src/core/silence/silence.ts";
import type { Transition } from "../../src/core/uptime.ts";
import { barLevel, DAY_MS, dailyBars } from "../../src/worker/page/bars.ts";
import { esc } from "../../src/worker/page/html.ts";
import { renderStatusPage } from "../../src/worker/page/render.ts";

const T0 = Date.parse("2026-03-10T00:00:00Z");

describe("status page pieces", () => {
  it("bars are UTC days with the API's availability definition", () => {
    // Day 1: up 12 h, down 6 h, unknown 6 h → 12/18; day 2: maintenance all day → no availability.
    const timeline: Transition[] = [
      { at: T0, state: "up" },
      { at: T0 + 12 * 3_600_000, state: "down" },
      { at: T0 + 18 * 3_600_000, state: "unknown" },
      { at: T0 + DAY_MS, state: "maintenance" },
      { at: T0 + 2 * DAY_MS, state: "degraded" },
    ];
    const now = T0 + 2 * DAY_MS + 6 * 3_600_000;
    const bars = dailyBars(timeline, now, 4);
    expect(bars.map((b) => b.day)).toEqual(["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"]);
    expect(bars[0]).toMatchObject({ availability: null });
    expect(barLevel(bars[0] as never)).toBe("none");
    expect(bars[1]?.availability).toBeCloseTo(12 / 18, 12);
    expect(barLevel(bars[1] as never)).toBe("major");
    expect(bars[2]).toMatchObject({ availability: null, maintenanceMs: DAY_MS });
    expect(barLevel(bars[2] as never)).toBe("maintenance");
    expect(bars[3]?.availability).toBe(1); // degraded counts as available; today runs to now
  });

  it("escapes everything it interpolates", () => {
    expect(esc(`<script>"x"&'y'</script>`)).toBe(
      "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;",
    );
    const html = renderStatusPage({
      now: T0,
      generatedAt: new Date(T0).toISOString(),
      monitoring: { state: "degraded", since: null, problems: ["<b>cron</b> silent"] },
      maintenance: [],
      names: new Map(),
      incidents: [
        {
          id: "x@1",
          monitorId: "x",
          monitorName: "<img src=x onerror=alert(1)>",
          state: "down",
          openedAt: new Date(T0).toISOString(),
          closedAt: null,
          reasons: ["<i>r</i>"],
          notes: [{ at: new Date(T0).toISOString(), text: "<script>alert(1)</script>" }],
        },
      ],
      monitors: [
        {
          operator: '"><script>',
          timeline: [],
          latency: [],
          monitor: {
            id: "x",
            name: "<svg onload=alert(1)>",
            chain: "casper",
            kind: "casper-rest",
            state: "down",
            since: null,
            reasons: ["</li><script>"],
            uptime: { "24h": null, "7d": null, "30d": null },
            vantages: [],
          },
        },
      ],
    });
    expect(html).not.toMatch(/<script|<img|<svg onload|<b>cron|<i>r/);
    expect(html).toContain("Monitoring degraded");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("a silence covers monitors by id and tags until its end", () => {
    const until = new Date(T0 + 3_600_000).toISOString();
    const list = [{ id: "s", tags: { operator: "Ops" }, until }];
    expect(isSilenced(list, { id: "a", tags: { operator: "Ops" } }, T0)).toBe(true);
    expect(isSilenced(list, { id: "a", tags: { operator: "Other" } }, T0)).toBe(false);
    expect(isSilenced(list, { id: "a", tags: { operator: "Ops" } }, T0 + 3_600_000)).toBe(false);
    expect(isSilenced([{ id: "s", monitors: ["b"], until }], { id: "a", tags: {} }, T0)).toBe(false);
  });
});

describe("the page at fleet scale", () => {
  const fleet = (n: number, down: number[]) =>
    Array.from({ length: n }, (_, i) => {
      const state = down.includes(i) ? ("down" as const) : ("up" as const);
      return {
        operator: `operator-${i % 20}`,
        timeline: [{ at: T0 - 80 * DAY_MS, state: "up" as const }],
        latency: [],
        monitor: {
          id: `validator-${i}-rest`,
          name: `Validator ${i} REST`,
          chain: i % 3 === 0 ? "nano" : "casper",
          kind: "casper-rest",
          state,
          since: new Date(T0).toISOString(),
          reasons: state === "down" ? ["connection refused"] : [],
          uptime: { "24h": 1, "7d": 1, "30d": 0.9999 },
          vantages: [{ region: "weur", state, since: new Date(T0).toISOString(), reasons: [] }],
        },
      };
    });
  const page = (n: number, down: number[] = []) =>
    renderStatusPage({
      now: T0,
      generatedAt: new Date(T0).toISOString(),
      monitoring: { state: "ok", since: null, problems: [] },
      maintenance: [],
      names: new Map(),
      incidents: [],
      monitors: fleet(n, down) as never,
    });

  it("stays under 300 KB at 1,000 monitors, each linked to its own page", () => {
    const html = page(1000, [7, 500]);
    expect(html.length).toBeLessThan(300_000);
    for (const i of [0, 7, 999]) expect(html).toContain(`href="/monitors/validator-${i}-rest"`);
    // One row per monitor under its group's 90-day bars, not 90 bars per monitor.
    expect(html.match(/class="row"/g)?.length).toBe(1000);
    expect(html.match(/class="bar /g)?.length).toBeLessThan(90 * 60);
  });

  it("leads with a summary: all operational, or how many are not", () => {
    expect(page(40)).toContain('id="summary">All systems operational<');
    const some = page(1000, [7, 500]);
    expect(some).toContain('id="summary">2 down of 1000 monitors<');
    // The groups holding a problem start open; the others closed.
    expect(some.match(/<details class="operator" open>/g)?.length).toBe(2);
  });

  it("draws every monitor in full while the fleet is small", () => {
    const html = page(3);
    expect(html.match(/class="bar /g)?.length).toBe(3 * 90);
    expect(html).not.toContain('class="row"');
  });
});
