import { describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/core/config/schema.ts";
import { localStack } from "../support/local-stack.ts";
import { until } from "../support/until.ts";

/**
 * The network reference as a consensus, on the local stack over a simulated fleet: a Casper network
 * of five nodes where one is 10,000 blocks ahead (its own chain: a wrong fork or network) and a
 * Nano network of five where one is a million cemented blocks ahead. The honest nodes stay up with
 * no incident; the outlier is the one flagged, with an "ahead" reason.
 */
const stack = localStack("network-reference");

type Monitor = { id: string; state: string; reasons: string[] };

describe("one node ahead of its network", () => {
  it("flags the outlier and leaves the honest nodes of Casper and Nano networks up, without incidents", async () => {
    const casper = { version: "2.0" as const, chainName: "casper-ref", blockTimeMs: 2000 };
    const ids = ["c1", "c2", "c3", "c4", "c-ahead"];
    const nanoIds = ["n1", "n2", "n3", "n4", "n-ahead"];
    const layout = [];
    for (const id of ids) {
      layout.push({ id, ...casper, startHeight: id === "c-ahead" ? 11_000 : 1_000 });
    }
    for (const id of nanoIds) {
      layout.push({
        kind: "nano" as const,
        id,
        blocksPerSec: 20,
        startCemented: id === "n-ahead" ? 201_000_000 : 200_000_000,
      });
    }
    const fleet = await stack.fleet(layout);
    const monitor = (id: string, chain: "casper" | "nano", check: Record<string, unknown>) => ({
      id,
      name: `Ref ${id}`,
      chain,
      check,
      intervalSec: 10,
      timeoutMs: 3000,
      regions: ["weur"],
      failureThreshold: 1,
      recoveryThreshold: 1,
      tags: { network: `${chain}-ref` },
    });
    const config = {
      version: 1,
      monitors: [
        ...fleet.nodes.map((n) =>
          monitor(n.id, "casper", { kind: "casper-rest", url: `http://${n.host}:${n.ports.rest}/status` }),
        ),
        ...fleet.nano.map((n) =>
          monitor(n.id, "nano", {
            kind: "nano-rpc",
            url: `http://${n.host}:${n.ports.rpc}/`,
            actions: ["block_count"],
          }),
        ),
      ],
    } as unknown as ConfigInput;
    const worker = await stack.worker({ config });
    const base = worker.url;
    await worker.cron();

    // Two rounds of probes: the first forms the reference, the second is judged against it.
    const status = await until("the outliers flagged", 60_000, async () => {
      await worker.cron();
      const s = (await (await fetch(`${base}/api/v1/status`)).json()) as { monitors: Monitor[] };
      const outliers = s.monitors.filter((m) => m.id.endsWith("-ahead"));
      return outliers.every((m) => m.reasons.some((r) => /ahead of the network/.test(r))) ? s : undefined;
    });
    const byId = new Map(status.monitors.map((m) => [m.id, m]));
    for (const id of [...ids, ...nanoIds].filter((i) => !i.endsWith("-ahead"))) {
      expect(byId.get(id)?.state, `${id}: ${byId.get(id)?.reasons.join("; ")}`).toBe("up");
      expect(byId.get(id)?.reasons.join(" ")).not.toMatch(/lagging/);
    }
    expect(byId.get("c-ahead")).toMatchObject({ state: "degraded" });
    expect(byId.get("c-ahead")?.reasons.join(" ")).toMatch(
      /^(?:.*; )?100\d\d blocks ahead of the network \(height 1\d{4}, network 1\d{3}\): wrong fork or wrong network\?/,
    );
    expect(byId.get("n-ahead")).toMatchObject({ state: "degraded" });
    expect(byId.get("n-ahead")?.reasons.join(" ")).toMatch(
      /\d{7} blocks ahead of the network \(cemented 20\d{7}/,
    );

    const incidents = (await (await fetch(`${base}/api/v1/incidents?status=all&limit=100`)).json()) as {
      incidents: { monitorId: string }[];
    };
    expect([...new Set(incidents.incidents.map((i) => i.monitorId))].sort()).toEqual(["c-ahead", "n-ahead"]);
  }, 120_000);
});
