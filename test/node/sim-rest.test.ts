import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import type { SimNodeInfo } from "../../src/sim/types.ts";
import { getJson, sleep, tcpProbe, url } from "./sim-helpers.ts";

/** Field order of casper-status-1.5.8-docexample.json (reference samples). */
const STATUS_15_KEYS = [
  "peers",
  "api_version",
  "build_version",
  "chainspec_name",
  "starting_state_root_hash",
  "last_added_block_info",
  "our_public_signing_key",
  "round_length",
  "next_upgrade",
  "uptime",
  "reactor_state",
  "last_progress",
  "available_block_range",
  "block_sync",
];

type Status = {
  peers: unknown[];
  api_version: string;
  chainspec_name: string;
  reactor_state: string;
  next_upgrade: unknown;
  last_added_block_info: { height: number; timestamp: string; era_id: number; hash: string };
  available_block_range: { low: number; high: number };
};

let fleet: Fleet;
let v15: SimNodeInfo;
let v20: SimNodeInfo;

beforeAll(async () => {
  fleet = await startFleet([
    { id: "rest-15", version: "1.5", blockTimeMs: 200, startHeight: 1000, chainName: "casper-test" },
    { id: "rest-20", version: "2.0", blockTimeMs: 200, startHeight: 1000, peers: 3 },
  ]);
  [v15, v20] = fleet.nodes as [SimNodeInfo, SimNodeInfo];
});
afterAll(() => fleet.stop());

describe("GET /status", () => {
  it("has the 1.5 shape: the fields of the 1.5.8 example, nothing more", async () => {
    const { status, body } = await getJson<Status>(url(v15, "rest", "/status"));
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(STATUS_15_KEYS);
    expect(body).not.toHaveProperty("latest_switch_block_hash");
    expect(body.api_version).toBe("1.5.8");
    expect(body.chainspec_name).toBe("casper-test");
    expect(body.reactor_state).toBe("KeepUp");
    expect(body.next_upgrade).toBeNull();
    expect(body.peers).toHaveLength(5);
    expect(body.peers[0]).toMatchObject({
      node_id: expect.stringMatching(/^tls:[0-9a-f]{4}\.\.[0-9a-f]{4}$/),
    });
    expect(body.available_block_range.high).toBe(body.last_added_block_info.height);
    expect(body.last_added_block_info.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("has the 2.0 shape: latest_switch_block_hash, no protocol_version on REST", async () => {
    const { body } = await getJson<Status>(url(v20, "rest", "/status"));
    expect(Object.keys(body)).toEqual([...STATUS_15_KEYS, "latest_switch_block_hash"]);
    expect(body).not.toHaveProperty("protocol_version");
    expect(body.api_version).toBe("2.0.0");
    expect(body.chainspec_name).toBe("casper-sim");
    expect(body.peers).toHaveLength(3);
  });

  it("produces a block every blockTimeMs, stamped when it was produced", async () => {
    const first = (await getJson<Status>(url(v20, "rest", "/status"))).body.last_added_block_info;
    const age = Date.now() - Date.parse(first.timestamp);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(200 + 300); // one block interval, plus slack for a loaded CI box
    await sleep(650);
    const later = (await getJson<Status>(url(v20, "rest", "/status"))).body.last_added_block_info;
    expect(later.height - first.height).toBeGreaterThanOrEqual(3);
    expect(later.height - first.height).toBeLessThanOrEqual(10);
    expect(Date.parse(later.timestamp) - Date.parse(first.timestamp)).toBe(
      (later.height - first.height) * 200,
    );
  });

  it("answers unknown paths with 404", async () => {
    const res = await fetch(url(v15, "rest", "/chainspec-nope"));
    expect(res.status).toBe(404);
  });
});

describe("GET /metrics", () => {
  it("serves the health gauges as Prometheus text", async () => {
    const res = await fetch(url(v15, "rest", "/metrics"));
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      "peers",
      "highest_available_block_height",
      "time_of_last_finalized_block",
      "consensus_current_era",
    ]) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} gauge`);
    }
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1]);
    expect(gauge("peers")).toBe(5);
    const { body } = await getJson<Status>(url(v15, "rest", "/status"));
    expect(
      Math.abs(gauge("highest_available_block_height") - body.last_added_block_info.height),
    ).toBeLessThanOrEqual(1);
    expect(Math.abs(gauge("time_of_last_finalized_block") - Date.now())).toBeLessThan(1000);
    expect(gauge("consensus_current_era")).toBe(Math.floor(gauge("highest_available_block_height") / 20));
  });
});

describe("P2P port", () => {
  it("accepts TCP connections and counts them", async () => {
    fleet.node("rest-15").resetStats();
    const probe = await tcpProbe(v15.host, v15.ports.p2p, 50);
    expect(probe).toEqual({ connected: true, received: "" });
    expect(fleet.node("rest-15").stats().requests.p2p).toBe(1);
  });
});
