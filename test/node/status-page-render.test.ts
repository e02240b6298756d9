import { describe, expect, it } from "vitest";
import { StatusPageSchema } from "../../src/core/config/page.ts";
import { isSilenced } from "../../src/core/silence/silence.ts";
import type { Transition } from "../../src/core/uptime.ts";
import { barLevel, DAY_MS, dailyBars } from "../../src/worker/page/bars.ts";
import { renderFeed } from "../../src/worker/page/feed.tsx";
import { esc } from "../../src/worker/page/html.ts";
import { renderStatusPage } from "../../src/worker/page/render.tsx";

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
    // …but a degraded day is not drawn as a healthy one
    expect(bars[3]?.degradedMs).toBe(6 * 3_600_000);
    expect(barLevel(bars[3] as never)).toBe("degraded");
  });

  it("downtime decides a day's colour before degraded time does", () => {
    const day = { day: "2026-03-10", maintenanceMs: 0 };
    expect(barLevel({ ...day, availability: 1, downMs: 0, degradedMs: 0 })).toBe("ok");
    expect(barLevel({ ...day, availability: 0.9995, downMs: 40_000, degradedMs: 0 })).toBe("ok");
    expect(barLevel({ ...day, availability: 0.9995, downMs: 40_000, degradedMs: 1 })).toBe("degraded");
    expect(barLevel({ ...day, availability: 0.995, downMs: 400_000, degradedMs: 3_600_000 })).toBe("minor");
    expect(barLevel({ ...day, availability: 0.5, downMs: 43_200_000, degradedMs: 3_600_000 })).toBe("major");
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
    expect(some.match(/<details class="operator" open="">/g)?.length).toBe(2);
  });

  it("draws every monitor in full while the fleet is small", () => {
    const html = page(3);
    expect(html.match(/class="bar /g)?.length).toBe(3 * 90);
    expect(html).not.toContain('class="row"');
  });
});

describe("branding, open incidents first, and the Atom feed", () => {
  const incident = (id: string, closedAt: string | null) => ({
    id,
    monitorId: "x",
    monitorName: "Validator <X> & co",
    state: "down" as const,
    openedAt: new Date(T0 - 3_600_000).toISOString(),
    closedAt,
    reasons: ["connection refused"],
    notes: [{ at: new Date(T0 - 60_000).toISOString(), text: "Provider <b>replacing</b> a PSU" }],
  });
  const model = (branding?: unknown) => ({
    now: T0,
    generatedAt: new Date(T0).toISOString(),
    monitoring: { state: "ok" as const, since: null, problems: [] },
    maintenance: [],
    names: new Map<string, string>(),
    incidents: [incident("x@2", null), incident("x@1", new Date(T0 - 1_800_000).toISOString())],
    monitors: [],
    ...(branding === undefined ? {} : { branding: StatusPageSchema.parse(branding) }),
  });

  it("shows the operator's title, description, logo, links and footer, escaped; neutral without them", () => {
    const html = renderStatusPage(
      model({
        title: "Acme <Staking> status",
        description: "Validators & RPC of Acme",
        logoUrl: "https://cdn.acme.example/logo.svg",
        links: [{ label: "Support", url: "https://acme.example/support?a=1&b=2" }],
        footer: '© Acme "Staking" Ltd',
      }),
    );
    expect(html).toContain("<title>Acme &lt;Staking&gt; status</title>");
    expect(html).toContain("<h1>Acme &lt;Staking&gt; status</h1>");
    expect(html).toContain('<p class="description">Validators &amp; RPC of Acme</p>');
    expect(html).toContain('<img src="https://cdn.acme.example/logo.svg" alt=""');
    expect(html).toContain('href="https://acme.example/support?a=1&amp;b=2"');
    expect(html).toContain("© Acme &quot;Staking&quot; Ltd");
    const neutral = renderStatusPage(model());
    expect(neutral).toContain("<h1>Node status</h1>");
    expect(neutral).not.toMatch(/<img|class="description"|<nav/);
    expect(
      StatusPageSchema.safeParse({ logoUrl: "http://insecure.example/l.png" }).error?.issues[0]?.path,
    ).toEqual(["logoUrl"]);
  });

  it("puts open incidents right under the summary and past ones at the end, and links the feed", () => {
    const html = renderStatusPage(model());
    const summary = html.indexOf('id="summary"');
    const open = html.indexOf('data-incident="x@2"');
    const past = html.indexOf('data-incident="x@1"');
    expect(summary).toBeGreaterThan(0);
    expect(open).toBeGreaterThan(summary);
    expect(html.indexOf('id="open-incidents"')).toBeLessThan(html.indexOf('id="bar-legend"'));
    expect(past).toBeGreaterThan(html.indexOf("Past incidents"));
    expect(html).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(html).toContain('<a href="/feed.atom">');
    for (const level of ["ok", "degraded", "minor", "major", "maintenance", "none"]) {
      expect(html).toContain(`data-level="${level}"`);
    }
  });

  it("the feed is Atom: one entry per incident and maintenance window, newest first, text escaped", () => {
    const xml = renderFeed({
      title: "Acme <status>",
      origin: "https://status.acme.example",
      generatedAt: new Date(T0).toISOString(),
      incidents: [incident("x@2", null)],
      maintenance: [
        {
          id: "upgrade",
          title: "2.1 & more",
          start: new Date(T0 + 3_600_000).toISOString(),
          end: new Date(T0 + 7_200_000).toISOString(),
          source: "config",
          monitors: ["x"],
        },
      ],
      names: new Map([["x", "Validator X"]]),
    });
    expect(
      xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'),
    ).toBe(true);
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect(xml.indexOf("Maintenance: 2.1 &amp; more")).toBeLessThan(
      xml.indexOf("Ongoing: Validator &lt;X&gt;"),
    );
    expect(xml).toContain(
      '<link rel="self" type="application/atom+xml" href="https://status.acme.example/feed.atom"/>',
    );
    expect(xml).toContain("Provider &lt;b&gt;replacing&lt;/b&gt; a PSU");
    expect(xml).not.toMatch(/<b>|<X>/);
  });
});
