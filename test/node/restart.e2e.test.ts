import { describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/core/config/schema.ts";
import { localStack } from "../support/local-stack.ts";
import { until } from "../support/until.ts";

/**
 * A crash is not an event. The local Worker watches monitors in every state (up, degraded, down,
 * maintenance, unknown), is killed with SIGKILL, stays dead longer than a vantage may stay silent
 * (3 intervals + the timeout), comes back on its stored state and runs five more intervals:
 * no alert of any kind, and every monitor keeps its `since`.
 */
const INTERVAL_SEC = 10;
const stack = localStack("restart");

type PublicMonitor = { id: string; state: string; since?: string; reasons: string[] };

async function statusOf(base: string): Promise<Map<string, PublicMonitor>> {
  const s = (await (await fetch(`${base}/api/v1/status`)).json()) as { monitors: PublicMonitor[] };
  return new Map(s.monitors.map((m) => [m.id, m]));
}

const EXPECTED: Record<string, string> = {
  healthy: "up",
  stalled: "degraded",
  refusing: "down",
  planned: "maintenance",
  "agent-only": "unknown",
};

describe("a restart of the Worker", () => {
  it("sends no alert and keeps every monitor's since", async () => {
    const casper = { version: "2.0" as const, blockTimeMs: 2000 };
    const fleet = await stack.fleet([
      { id: "healthy", ...casper },
      { id: "stalled", ...casper, fault: { fault: "stalled" } },
      { id: "refusing", ...casper, fault: { fault: "refusing" } },
      { id: "planned", ...casper, fault: { fault: "refusing" } },
    ]);
    const rx = await stack.receivers();
    const rest = (id: string) => {
      const n = fleet.nodes.find((x) => x.id === id);
      return { kind: "casper-rest", url: `http://${n?.host}:${n?.ports.rest}/status` };
    };
    const monitor = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      name: `Restart ${id}`,
      chain: "casper",
      check: rest(id),
      intervalSec: INTERVAL_SEC,
      timeoutMs: 2000,
      regions: ["weur"],
      failureThreshold: 1,
      recoveryThreshold: 1,
      ...extra,
    });
    const hour = 3_600_000;
    const config = {
      version: 1,
      monitors: [
        monitor("healthy"),
        monitor("stalled"),
        monitor("refusing"),
        monitor("planned"),
        {
          ...monitor("agent-only"),
          check: { kind: "tcp", host: "127.0.0.1", port: 9 },
          regions: [],
          agents: ["ghost"],
        },
      ],
      agents: [{ id: "ghost", keySecret: "GHOST_KEY" }],
      maintenance: [
        {
          id: "planned-window",
          title: "planned work",
          monitors: ["planned"],
          start: new Date(Date.now() - hour).toISOString(),
          end: new Date(Date.now() + 24 * hour).toISOString(),
        },
      ],
      alerts: {
        channels: [{ type: "slack", id: "ops", url: { secret: "SLACK_URL" } }],
        routes: [{ channels: ["ops"], minSeverity: "info" }],
      },
    } as unknown as ConfigInput;
    const vars = { SLACK_URL: `${rx.url}/slack`, GHOST_KEY: "k".repeat(32) };
    let worker = await stack.worker({ config, vars });
    await worker.cron();

    const settled = (s: Map<string, PublicMonitor>) =>
      Object.entries(EXPECTED).every(([id, state]) => s.get(id)?.state === state);
    const before = await until("every state reached", 90_000, async () => {
      await worker.cron();
      const s = await statusOf(worker.url);
      return settled(s) ? s : undefined;
    });
    // The outage alerts (down, degraded) went out before the crash: they are not under test.
    await rx.waitFor("/slack", 2, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    const alertsBefore = rx.received("/slack").length;

    await worker.kill();
    // Dead for longer than a vantage may be silent (3 intervals + the timeout): the gap is real.
    await new Promise((r) => setTimeout(r, (3 * INTERVAL_SEC + 5) * 1000));
    worker = await stack.worker({ config, vars });
    const restartedAt = Date.now();
    await worker.cron();

    // Five intervals, with the cron (the watchdog) running as it does every minute in production.
    let after = before;
    while (Date.now() - restartedAt < 5 * INTERVAL_SEC * 1000) {
      await new Promise((r) => setTimeout(r, 5000));
      await worker.cron();
    }
    after = await until("the states back after the gap", 60_000, async () => {
      const s = await statusOf(worker.url);
      return settled(s) ? s : undefined;
    });

    const sent = rx.received("/slack").slice(alertsBefore);
    expect(
      sent.map((r) => JSON.stringify(r.body).slice(0, 200)),
      "alerts sent after the restart",
    ).toEqual([]);
    for (const id of Object.keys(EXPECTED)) {
      expect(after.get(id)?.since, `${id}: ${after.get(id)?.reasons.join("; ")}`).toBe(before.get(id)?.since);
    }
  }, 300_000);
});
