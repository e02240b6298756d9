import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/core/config/schema.ts";
import { freePort, type LocalWorker, startLocalWorker } from "../../src/local/local-worker.ts";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import { until } from "../support/until.ts";

/**
 * The status page in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against
 * the Worker on local workerd over a simulated fleet: a healthy node, a dead node with an open
 * incident (and a manual note), a stalled (degraded) node and a node inside a maintenance window;
 * with the operator's branding, in light and dark mode, on a desktop and a 360 px phone.
 */
const CHROMIUM = "/usr/bin/chromium";
const ADMIN_TOKEN = "browser-test-admin-token";
const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "status-page-"));
let fleet: Fleet | undefined;
let worker: LocalWorker | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

type Status = { monitors: { id: string; state: string }[]; maintenance: { id: string }[] };
type Incidents = { incidents: { id: string; monitorId: string; closedAt: string | null }[] };

describe("status page in Chromium", () => {
  it("shows the summary, states, 90-day bars (degraded days in their colour), incidents, maintenance, branding, dark mode, a phone's width and the Atom feed", async () => {
    // Ports from the kernel's ephemeral range: the shared workerd-test fleet picks its ports below
    // that range and reopens them after `refusing`, so a port of ours there could take one of its.
    const ports = async () => ({
      rest: await freePort(),
      rpc: await freePort(),
      sse: await freePort(),
      p2p: await freePort(),
    });
    const chain = { version: "2.0" as const, chainName: "casper-test", blockTimeMs: 1000, startHeight: 9000 };
    fleet = await startFleet([
      { id: "healthy", ...chain, ports: await ports() },
      { id: "dead", ...chain, ports: await ports(), fault: { fault: "refusing" } },
      { id: "upgrading", ...chain, version: "1.5", ports: await ports() },
      { id: "stalled", ...chain, ports: await ports(), fault: { fault: "stalled" } },
    ]);
    const rest = (id: string) => {
      const n = fleet?.nodes.find((x) => x.id === id);
      if (!n) throw new Error(id);
      return `http://${n.host}:${n.ports.rest}/status`;
    };
    const monitor = (id: string, name: string, node: string, operator: string) => ({
      id,
      name,
      chain: "casper" as const,
      check: { kind: "casper-rest" as const, url: rest(node) },
      intervalSec: 10,
      timeoutMs: 2000,
      regions: ["weur" as const],
      failureThreshold: 1,
      recoveryThreshold: 1,
      tags: { operator, network: "casper-test" },
      rules: { blockTimeSec: 1, expectChainName: "casper-test" },
    });
    const now = Date.now();
    const config: ConfigInput = {
      version: 1,
      monitors: [
        monitor("healthy-rest", "Healthy validator", "healthy", "Acme Staking"),
        monitor("dead-rest", "Dead validator", "dead", "Acme Staking"),
        monitor("upgrading-rest", "Upgrading validator", "upgrading", "Beta Nodes"),
        monitor("stalled-rest", "Stalled validator", "stalled", "Beta Nodes"),
      ],
      page: {
        title: "Acme Staking status",
        description: "Casper validators run by Acme Staking & friends.",
        links: [{ label: "Support", url: "https://acme.example/support" }],
        footer: "Operated by Acme Staking Ltd.",
      },
      maintenance: [
        {
          id: "upgrade-2-1",
          title: "Casper 2.1 upgrade",
          start: new Date(now - 10 * 60_000).toISOString(),
          end: new Date(now + 2 * 3_600_000).toISOString(),
          monitors: ["upgrading-rest"],
        },
      ],
    } as ConfigInput;
    worker = await startLocalWorker({
      dir: join(dir, "worker"),
      config,
      // Every read asks for the current version (by default an isolate trusts the one it read for
      // 2 s): the page Chromium loads is the one the test saw published.
      vars: { ADMIN_TOKEN, PUBLIC_VERSION_TTL_MS: "0" },
      output: "pipe",
    });
    const base = worker.url;
    await worker.cron(); // arms the probers (cron does not fire by itself locally)

    const status = await until(
      "healthy up, dead down, stalled degraded, upgrading in maintenance",
      90_000,
      async () => {
        const s = (await (await fetch(`${base}/api/v1/status`)).json()) as Status;
        const st = Object.fromEntries(s.monitors.map((m) => [m.id, m.state]));
        return st["healthy-rest"] === "up" &&
          st["dead-rest"] === "down" &&
          st["stalled-rest"] === "degraded" &&
          st["upgrading-rest"] === "maintenance"
          ? s
          : undefined;
      },
    );
    expect(status.maintenance.map((w) => w.id)).toContain("upgrade-2-1");
    const incident = await until("an open incident for the dead node", 30_000, async () => {
      const r = (await (await fetch(`${base}/api/v1/incidents?status=open`)).json()) as Incidents;
      return r.incidents.find((i) => i.monitorId === "dead-rest");
    });
    const note = await fetch(`${base}/api/v1/admin/incidents/${encodeURIComponent(incident.id)}/notes`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "Hosting provider is replacing the server's power supply." }),
    });
    expect(note.status).toBe(201);
    // The page shows what the board last published: a note appears within one publishing period.
    await until("the note published", 30_000, async () =>
      (await (await fetch(`${base}/`)).text()).includes("power supply") ? true : undefined,
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1100, height: 900 },
    });
    const page = await context.newPage();
    const outside: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(base)) outside.push(r.url());
    });
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);

    // The operator's branding, then the summary, with the open incident right under it.
    expect(await page.title()).toBe("Acme Staking status");
    expect(await page.locator("header.brand h1").textContent()).toBe("Acme Staking status");
    expect(await page.locator("p.description").textContent()).toContain("Acme Staking & friends");
    expect(await page.locator("nav.links a").getAttribute("href")).toBe("https://acme.example/support");
    expect(await page.locator("footer").textContent()).toContain("Operated by Acme Staking Ltd.");
    expect(await page.locator("#summary").textContent()).toBe(
      "1 down, 1 degraded, 1 maintenance of 4 monitors",
    );
    const summaryBox = await page.locator("#summary").boundingBox();
    const openBox = await page.locator("#open-incidents").boundingBox();
    const groupsBox = await page.locator("section.group").first().boundingBox();
    expect(openBox?.y ?? 0).toBeGreaterThan(summaryBox?.y ?? Infinity);
    expect(openBox?.y ?? Infinity).toBeLessThan(groupsBox?.y ?? 0);

    // Maintenance banner, visible and naming the window and the monitor.
    const banner = page.locator("#maintenance-banner");
    await expect.poll(() => banner.isVisible()).toBe(true);
    const bannerText = (await banner.textContent()) ?? "";
    expect(bannerText).toContain("Maintenance in progress");
    expect(bannerText).toContain("Casper 2.1 upgrade");
    expect(bannerText).toContain("Upgrading validator");
    expect(await page.locator("#monitoring-banner").count()).toBe(0);

    // States, grouped by chain and operator.
    const stateOf = (id: string) => page.locator(`[data-monitor="${id}"]`).getAttribute("data-state");
    expect(await stateOf("healthy-rest")).toBe("up");
    expect(await stateOf("dead-rest")).toBe("down");
    expect(await stateOf("upgrading-rest")).toBe("maintenance");
    expect(await stateOf("stalled-rest")).toBe("degraded");
    expect(await page.locator('[data-monitor="dead-rest"] .state').textContent()).toMatch(/down/i);
    expect(((await page.locator('[data-monitor="dead-rest"] .reasons').textContent()) ?? "").trim()).not.toBe(
      "",
    );
    const groups = await page.locator("section.group h2").allInnerTexts();
    expect(groups).toEqual(["casper · Acme Staking", "casper · Beta Nodes"]);
    expect(await page.locator("#bar-legend").textContent()).toContain("degraded (working, not healthy)");

    // 90 UTC-day bars each; today's bar says what today was, the days before have no data.
    const today = new Date().toISOString().slice(0, 10);
    for (const [id, level] of [
      ["healthy-rest", "ok"],
      ["dead-rest", "major"],
      ["upgrading-rest", "maintenance"],
      ["stalled-rest", "degraded"],
    ] as const) {
      const bars = page.locator(`[data-monitor="${id}"] .bar`);
      expect(await bars.count()).toBe(90);
      const last = bars.last();
      expect(await last.getAttribute("data-day")).toBe(today);
      expect(await last.getAttribute("data-level"), id).toBe(level);
      expect(await bars.first().getAttribute("data-level")).toBe("none");
      const box = await last.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThan(10);
    }
    // Bar colours as rendered: green, red, blue.
    const colour = (id: string) =>
      page
        .locator(`[data-monitor="${id}"] .bar`)
        .last()
        .evaluate(
          (el) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
            ).getComputedStyle(el).backgroundColor,
        );
    expect(await colour("healthy-rest")).toBe("rgb(63, 185, 80)");
    expect(await colour("dead-rest")).toBe("rgb(229, 83, 75)");
    expect(await colour("upgrading-rest")).toBe("rgb(107, 158, 240)");
    expect(await colour("stalled-rest")).toBe("rgb(212, 167, 44)"); // a degraded day is not green

    // Incident list: the dead node's open incident with its note.
    const item = page.locator(`[data-incident="${incident.id}"]`);
    expect(await item.isVisible()).toBe(true);
    expect(await item.getAttribute("data-open")).toBe("true");
    const itemText = (await item.textContent()) ?? "";
    expect(itemText).toContain("Dead validator");
    expect(itemText).toContain("ongoing");
    expect(itemText).toContain("power supply");

    // Nothing private on the page: no host or port of these non-public monitors, no token.
    const html = await page.content();
    expect(html).not.toMatch(/127\.0\.0\.1|localhost|:\d{4,5}\b/);
    expect(html).not.toContain(ADMIN_TOKEN);
    expect(outside).toEqual([]);

    // The latency chart (inline SVG) for a region, once opened.
    await page.locator('[data-monitor="healthy-rest"] details summary').click();
    expect(await page.locator('[data-monitor="healthy-rest"] svg.latency polyline').count()).toBeGreaterThan(
      0,
    );

    // Tests write only into ignored folders; `npm run screenshots` refreshes the README's images.
    const shots = process.env.SCREENSHOT_DIR ?? join(root, "test-results");
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "status-page.png"), fullPage: true });

    // Dark mode follows the reader's system setting.
    const background = () =>
      page
        .locator("body")
        .evaluate(
          (el) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
            ).getComputedStyle(el).backgroundColor,
        );
    expect(await background()).toBe("rgb(246, 247, 249)");
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await background()).toBe("rgb(13, 17, 23)");
    expect(await colour("stalled-rest")).toBe("rgb(212, 167, 44)");
    await page.screenshot({ path: join(shots, "status-page-dark.png"), fullPage: true });

    // A 360 px phone: nothing scrolls sideways.
    const phone = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
    });
    const small = await phone.newPage();
    await small.goto(`${base}/`);
    const widths = await small.locator("html").evaluate((el) => {
      const e = el as unknown as { scrollWidth: number; clientWidth: number };
      return { scroll: e.scrollWidth, client: e.clientWidth };
    });
    expect(widths.client).toBe(360);
    expect(widths.scroll).toBeLessThanOrEqual(360);
    await small.screenshot({ path: join(shots, "status-page-phone.png"), fullPage: true });
    await phone.close();

    // The Atom feed, parsed by Chromium's XML parser: the Atom namespace, the open incident with its note.
    const feedRes = await fetch(`${base}/feed.atom`);
    expect(feedRes.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const xml = await feedRes.text();
    const parsed = await page.locator("html").evaluate((_el, text) => {
      const g = globalThis as unknown as {
        DOMParser: new () => { parseFromString(t: string, type: string): XmlDoc };
      };
      type XmlNode = {
        textContent: string | null;
        getElementsByTagNameNS(ns: string, n: string): ArrayLike<XmlNode>;
      };
      type XmlDoc = XmlNode & { documentElement: { namespaceURI: string | null; localName: string } } & {
        getElementsByTagName(n: string): ArrayLike<unknown>;
      };
      const doc = new g.DOMParser().parseFromString(text, "application/xml");
      const ns = "http://www.w3.org/2005/Atom";
      const entries = Array.from(doc.getElementsByTagNameNS(ns, "entry"));
      return {
        errors: doc.getElementsByTagName("parsererror").length,
        root: `${doc.documentElement.namespaceURI} ${doc.documentElement.localName}`,
        entries: entries.map((e) => ({
          title: e.getElementsByTagNameNS(ns, "title")[0]?.textContent ?? "",
          content: e.getElementsByTagNameNS(ns, "content")[0]?.textContent ?? "",
        })),
      };
    }, xml);
    expect(parsed.errors).toBe(0);
    expect(parsed.root).toBe("http://www.w3.org/2005/Atom feed");
    const deadEntry = parsed.entries.find((e) => e.title === "Ongoing: Dead validator down");
    expect(deadEntry?.content).toContain("power supply");
    expect(parsed.entries.map((e) => e.title)).toContain("Maintenance: Casper 2.1 upgrade");
  }, 240_000);
});
