import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/agent/log.ts";
import { Spool } from "../../src/agent/spool.ts";
import type { ProbeRecord } from "../../src/core/records.ts";

const record = (i: number): ProbeRecord => ({
  monitorId: `m${i}`,
  vantage: "agent:ops-1",
  scheduledAt: 1_000 + i,
  checkedAt: 1_000 + i,
  result: { ok: true, latencyMs: i },
});
const fresh = () => mkdtempSync(join(tmpdir(), "agent-spool-"));

describe("spool", () => {
  it("appends, seals into a named batch, lists oldest first, acks", async () => {
    const dir = fresh();
    const spool = new Spool(dir, "ops-1", silentLogger);
    await spool.init();
    expect(await spool.seal()).toBeUndefined(); // nothing to seal
    await spool.append(record(1));
    await spool.append(record(2));
    const a = await spool.seal(1_000_000);
    await spool.append(record(3));
    const b = await spool.seal(2_000_000);
    expect(a?.records).toBe(2);
    expect((await spool.list()).map((x) => x.batchId)).toEqual([a?.batchId, b?.batchId]);
    expect(await spool.stats()).toEqual({ batches: 2, records: 3, oldestAt: 1_000_000 });
    const [first] = await spool.list();
    if (!first) throw new Error("no batch");
    expect((await spool.read(first)).map((r) => r.monitorId)).toEqual(["m1", "m2"]);
    await spool.ack(first);
    expect((await spool.list()).map((x) => x.batchId)).toEqual([b?.batchId]);
    await spool.close();
  });

  it("after a crash, seals the journal it finds (skipping a torn last line) before anything new", async () => {
    const dir = fresh();
    const before = new Spool(dir, "ops-1", silentLogger);
    await before.init();
    await before.append(record(1));
    await before.append(record(2));
    // The process dies mid-write: half a line at the end of the journal, handle never closed.
    appendFileSync(join(dir, "current.jsonl"), '{"monitorId":"m3","vant');
    const after = new Spool(dir, "ops-1", silentLogger);
    await after.init();
    expect(existsSync(join(dir, "current.jsonl"))).toBe(false);
    const batches = await after.list();
    expect(batches).toHaveLength(1);
    expect((await after.read(batches[0] as (typeof batches)[0])).map((r) => r.monitorId)).toEqual([
      "m1",
      "m2",
    ]);
    await after.close();
  });

  it("a batch is a complete file or absent: sealing is a rename", async () => {
    const dir = fresh();
    const spool = new Spool(dir, "ops-1", silentLogger);
    await spool.init();
    await spool.append(record(1));
    const b = await spool.seal(5_000);
    const files = readdirSync(join(dir, "ready"));
    expect(files).toEqual([`000000000005000-${b?.batchId}.jsonl`]);
    expect(
      readFileSync(join(dir, "ready", files[0] as string), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(1);
    await spool.close();
  });

  it("splitting is idempotent: a repeated split rewrites the same two batch ids", async () => {
    const dir = fresh();
    const spool = new Spool(dir, "ops-1", silentLogger);
    await spool.init();
    for (let i = 0; i < 5; i++) await spool.append(record(i));
    const b = await spool.seal(7_000);
    if (!b) throw new Error("no batch");
    const records = await spool.read(b);
    const halves = await spool.split(b, records);
    expect(halves.map((h) => h.batchId)).toEqual([`${b.batchId}-a`, `${b.batchId}-b`]);
    // As if the process died before removing the original and split it again on restart.
    const again = await spool.split(b, records);
    expect(again.map((h) => h.batchId)).toEqual(halves.map((h) => h.batchId));
    expect((await spool.list()).map((x) => x.batchId)).toEqual(halves.map((h) => h.batchId));
    expect(await spool.stats()).toMatchObject({ batches: 2, records: 5 });
    await spool.close();
  });

  it("sets refused batches aside with the reason", async () => {
    const dir = fresh();
    const spool = new Spool(dir, "ops-1", silentLogger);
    await spool.init();
    await spool.append(record(1));
    const b = await spool.seal(9_000);
    if (!b) throw new Error("no batch");
    await spool.reject(b, { error: "out_of_scope" });
    expect(await spool.list()).toEqual([]);
    expect(readdirSync(join(dir, "rejected")).sort()).toEqual([b.name, `${b.name}.reason.json`]);
    await spool.close();
  });
});
