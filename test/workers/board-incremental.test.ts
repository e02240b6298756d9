import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BoardReporter } from "../../src/worker/state/board-reporter.ts";
import type { MonitorView } from "../../src/worker/state/shard-report.ts";
import { board } from "./helpers.ts";

// The board's side of incremental reports, on the real board object: a change costs a row for the
// monitor that changed, a full report replaces the shard; reports from one state object never
// overlap, so no transition is recorded twice.

const view = (id: string, state: MonitorView["state"], height: number): MonitorView => ({
  id,
  state,
  since: 1_000,
  reasons: state === "up" ? [] : [`${id} is ${state}`],
  height,
  vantages: [],
});
const SHARD = "state:test:incremental";
const rows = () =>
  runInDurableObject(board(), (_i, state) => ({
    changed: state.storage.sql.exec("SELECT id FROM changed_views WHERE shard = ?", SHARD).toArray(),
    shard: state.storage.sql.exec("SELECT data FROM shard_parts WHERE name = ?", SHARD).toArray(),
  }));
const viewsNow = async () =>
  new Map((await board().snapshot()).monitors.filter((v) => v.id.startsWith("inc-")).map((v) => [v.id, v]));

describe("incremental board reports", () => {
  it("a change is one row for that monitor; a full report replaces the shard and clears them", async () => {
    const base = { shard: SHARD, transitions: [], incidents: [] };
    await board().update({
      ...base,
      at: 1,
      full: true,
      monitors: [view("inc-a", "up", 10), view("inc-b", "up", 10)],
    });
    await board().update({ ...base, at: 2, full: false, monitors: [view("inc-a", "down", 10)] });
    let r = await rows();
    expect(r.changed).toEqual([{ id: "inc-a" }]);
    // The shard's own row is not rewritten for a change.
    expect(JSON.parse(String(r.shard[0]?.data)).map((v: MonitorView) => v.state)).toEqual(["up", "up"]);
    let views = await viewsNow();
    expect([views.get("inc-a")?.state, views.get("inc-b")?.state]).toEqual(["down", "up"]);

    await board().update({
      ...base,
      at: 3,
      full: true,
      monitors: [view("inc-a", "up", 12), view("inc-b", "up", 12)],
    });
    r = await rows();
    expect(r.changed).toEqual([]);
    views = await viewsNow();
    expect([views.get("inc-a")?.state, views.get("inc-a")?.height]).toEqual(["up", 12]);
  });

  it("overlapping reports from one state object record each transition once", async () => {
    const reporter = new BoardReporter();
    const id = "inc-dup";
    const t0 = Date.now();
    reporter.transition({ monitorId: id, at: t0, state: "down" });
    const views = () => ({ monitors: [view(id, "down", 1)], full: false });
    // Two reports started before either is confirmed (an ingest and a sweep, say).
    const first = reporter.report(env, SHARD, views, t0);
    reporter.transition({ monitorId: id, at: t0 + 1, state: "up" });
    const second = reporter.report(env, SHARD, views, t0 + 1);
    await Promise.all([first, second]);
    const data = await board().slaData({ monitorIds: [id], from: t0 - 1, to: t0 + 10 });
    expect(data.overall[id]?.map((t) => t.state)).toEqual(["down", "up"]);
  });

  it("a monitor's first latency chart is added to the shard's; the periodic whole set replaces them", async () => {
    const base = { shard: SHARD, transitions: [], incidents: [], full: false, monitors: [] };
    const chart = (ms: number) => ({ weur: [{ at: 3_600_000, ms }] });
    const charts = async () => {
      const { latency } = await board().extras();
      return Object.fromEntries(Object.entries(latency).filter(([id]) => id.startsWith("lat-")));
    };
    await board().update({ ...base, at: 1, latency: { "lat-a": chart(40), "lat-b": chart(50) } });
    // lat-c's first results: its chart alone travels, and lat-a's and lat-b's stay.
    await board().update({ ...base, at: 2, latency: { "lat-c": chart(60) }, latencyPartial: true });
    expect(await charts()).toEqual({ "lat-a": chart(40), "lat-b": chart(50), "lat-c": chart(60) });
    // The periodic set (lat-b removed from the config meanwhile) replaces the shard's charts.
    await board().update({ ...base, at: 3, latency: { "lat-a": chart(41), "lat-c": chart(61) } });
    expect(await charts()).toEqual({ "lat-a": chart(41), "lat-c": chart(61) });
  });
});
