import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "../../src/sim/fleet.ts";
import type { SimNodeInfo } from "../../src/sim/types.ts";
import { openStream, sleep, sseEvents, url } from "./sim-helpers.ts";

let fleet: Fleet;
const info = (id: string) => fleet.nodes.find((node) => node.id === id) as SimNodeInfo;

beforeAll(async () => {
  fleet = await startFleet([
    { id: "sse-15", version: "1.5", blockTimeMs: 200 },
    { id: "sse-20", version: "2.0", blockTimeMs: 200 },
    { id: "sse-slow-blocks", version: "2.0", blockTimeMs: 1000 },
    { id: "sse-idle", version: "2.0", blockTimeMs: 60_000, keepAliveMs: 100 },
  ]);
});
afterAll(() => fleet.stop());

describe("event stream", () => {
  it("2.0 /events: ApiVersion first without id, then BlockAdded with Version2 blocks and ids", async () => {
    const stream = openStream(url(info("sse-20"), "sse", "/events"));
    try {
      const status = await stream.status;
      expect(status.code).toBe(200);
      expect(status.headers["content-type"]).toBe("text/event-stream");
      await stream.waitFor((text) => sseEvents(text).length >= 3, 1500);
      expect(stream.text().startsWith('data:{"ApiVersion":"2.0.0"}\n\n')).toBe(true);
      const [, first, second] = sseEvents(stream.text());
      const blockOf = (data: string) => JSON.parse(data).BlockAdded.block.Version2;
      expect(first?.id).toMatch(/^\d+$/);
      expect(Number(second?.id)).toBeGreaterThan(Number(first?.id));
      expect(blockOf(second?.data ?? "").header.height).toBe(blockOf(first?.data ?? "").header.height + 1);
      expect(JSON.parse(first?.data ?? "").BlockAdded.block_hash).toBe(blockOf(first?.data ?? "").hash);
    } finally {
      stream.close();
    }
  });

  it("1.5 /events/main: 1.x BlockAdded shape (block.header.height)", async () => {
    const stream = openStream(url(info("sse-15"), "sse", "/events/main"));
    try {
      await stream.waitFor((text) => sseEvents(text).length >= 2, 1000);
      const [apiVersion, blockAdded] = sseEvents(stream.text());
      expect(apiVersion).toEqual({ data: '{"ApiVersion":"1.5.8"}' });
      const event = JSON.parse(blockAdded?.data ?? "").BlockAdded;
      expect(Object.keys(event.block)).toEqual(["hash", "header", "body", "proofs"]);
      expect(event.block.header.height).toEqual(expect.any(Number));
    } finally {
      stream.close();
    }
  });

  it("never announces the current block on connect; the next block comes when it is produced", async () => {
    const node = fleet.node("sse-slow-blocks");
    // Connect just after a block so "immediately" and "next block" are 1 s apart.
    await sleep(node.chain.nextBlockAt(Date.now()) - Date.now() + 30);
    const heightAtConnect = node.info().height;
    const stream = openStream(url(info("sse-slow-blocks"), "sse", "/events"));
    try {
      await sleep(400);
      expect(sseEvents(stream.text())).toHaveLength(1);
      await stream.waitFor((text) => sseEvents(text).length >= 2, 1000);
      const added = JSON.parse(sseEvents(stream.text())[1]?.data ?? "").BlockAdded.block.Version2;
      expect(added.header.height).toBe(heightAtConnect + 1);
    } finally {
      stream.close();
    }
  });

  it("sends ':' keep-alives after keepAliveMs of silence", async () => {
    const stream = openStream(url(info("sse-idle"), "sse", "/events"));
    try {
      await stream.waitFor((text) => text.split(":\n\n").length >= 3, 1000);
      expect(stream.text()).toMatch(/^data:\{"ApiVersion":"2\.0\.0"\}\n\n:\n\n:\n\n/);
    } finally {
      stream.close();
    }
  });

  it("1.5 /events/sigs carries FinalitySignature events", async () => {
    const stream = openStream(url(info("sse-15"), "sse", "/events/sigs"));
    try {
      await stream.waitFor((text) => sseEvents(text).length >= 2, 1000);
      const signature = JSON.parse(sseEvents(stream.text())[1]?.data ?? "").FinalitySignature;
      expect(Object.keys(signature)).toEqual(["block_hash", "era_id", "signature", "public_key"]);
    } finally {
      stream.close();
    }
  });

  it("rejects wrong paths with the node's 404 texts and bad queries with 422", async () => {
    const wrong15 = await fetch(url(info("sse-15"), "sse", "/events"));
    expect(wrong15.status).toBe(404);
    expect(await wrong15.text()).toBe(
      "invalid path: expected '/events/main', '/events/deploys' or '/events/sigs'\n",
    );
    const wrong20 = await fetch(url(info("sse-20"), "sse", "/events/main"));
    expect(wrong20.status).toBe(404);
    expect(await wrong20.text()).toBe("invalid path: expected '/events'\n");
    const query = await fetch(url(info("sse-20"), "sse", "/events?since=3"));
    expect(query.status).toBe(422);
    expect(await query.text()).toBe("invalid query: expected single field 'start_from=<EVENT ID>'\n");
  });

  it("accepts start_from", async () => {
    const stream = openStream(url(info("sse-20"), "sse", "/events?start_from=5"));
    try {
      expect((await stream.status).code).toBe(200);
    } finally {
      stream.close();
    }
  });
});
