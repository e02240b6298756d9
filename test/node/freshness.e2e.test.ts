import { describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/core/config/schema.ts";
import { localStack } from "../support/local-stack.ts";
import { until } from "../support/until.ts";

/**
 * Freshness of the read side on the local stack: from the moment a state change is recorded (the
 * failing result reaches its state object) to the moment the published status API, the page and
 * the monitor's own page show it, at most one publishing period (15 s) passes.
 */
const PUBLISHING_PERIOD_MS = 15_000;
const stack = localStack("freshness");

type Point = { at: string; receivedAt: string; state: string };

describe("a state change on the read side", () => {
  it("reaches the status API and the pages within one publishing period", async () => {
    const fleet = await stack.fleet([{ id: "node", version: "2.0", blockTimeMs: 2000 }]);
    const node = fleet.nodes[0];
    const config = {
      version: 1,
      monitors: [
        {
          id: "fresh",
          name: "Fresh",
          chain: "casper",
          check: { kind: "casper-rest", url: `http://127.0.0.1:${node?.ports.rest}/status` },
          intervalSec: 10,
          timeoutMs: 2000,
          regions: ["weur"],
          failureThreshold: 1,
          recoveryThreshold: 1,
        },
      ],
    } as unknown as ConfigInput;
    const worker = await stack.worker({ config });
    const base = worker.url;
    await worker.cron();
    const state = async () =>
      ((await (await fetch(`${base}/api/v1/status`)).json()) as { monitors: { state: string }[] }).monitors[0]
        ?.state;
    await until("the monitor up", 60_000, async () => ((await state()) === "up" ? true : undefined));

    await fleet.node("node").setFault({ fault: "refusing" });
    const shownAt = await until("down on the status API", 60_000, async () =>
      (await state()) === "down" ? Date.now() : undefined,
    );
    const history = (await (
      await fetch(`${base}/api/v1/monitors/fresh/history?from=${new Date(shownAt - 60_000).toISOString()}`)
    ).json()) as { results: Point[] };
    const firstDown = history.results.find((p) => p.state === "down");
    expect(firstDown).toBeDefined();
    const recordedAt = Date.parse(firstDown?.receivedAt ?? "");
    const lag = shownAt - recordedAt;
    console.log(JSON.stringify({ recordedToPublicMs: lag }));
    expect(lag).toBeLessThanOrEqual(PUBLISHING_PERIOD_MS);

    // The page and the monitor's page show it too (an isolate may trust the version it read for
    // up to PUBLIC_VERSION_TTL_MS, 2 s, so a request a moment later can still get the one before).
    const text = async (path: string) => (await fetch(`${base}${path}`)).text();
    await until("down on the page", 5_000, async () =>
      /data-monitor="fresh" data-state="down"/.test(await text("/")) ? true : undefined,
    );
    const own = await until("down on the monitor's page", 5_000, async () => {
      const html = await text("/monitors/fresh");
      return /data-state="down"/.test(html) ? html : undefined;
    });
    expect(own).toContain("connection refused");
  }, 180_000);
});
