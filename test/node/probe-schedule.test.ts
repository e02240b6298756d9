import { describe, expect, it } from "vitest";
import { MonitorSchema } from "../../src/core/config/schema.ts";
import { HANDOFF_LEAD_MS, nextDue, takeDue, windowEnd } from "../../src/core/due.ts";
import type { ProbeRecord } from "../../src/core/records.ts";
import { slotAt, slotClock, slotStart, TICK_WINDOW_MS } from "../../src/core/schedule.ts";
import { emptyTally, tallyStart } from "../../src/core/start-tally.ts";
import {
  dealOrders,
  GATHER_MS,
  MAX_CHILDREN,
  type ProbeOrder,
  runJob,
} from "../../src/worker/prober/run-job.ts";

/**
 * The schedule (which monitor is due, taken once per slot) and a prober's hand-off as the runner
 * carries it out, with real timers and stand-in targets: hostile ones hold their connection until
 * the timeout, healthy ones answer in 20 ms.
 */
const monitor = (id: string, intervalSec = 60) =>
  MonitorSchema.parse({
    id,
    name: id,
    chain: "generic",
    check: { kind: "tcp", host: "127.0.0.1", port: 1 },
    regions: ["weur"],
    intervalSec,
    timeoutMs: 600,
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the schedule", () => {
  it("takes a monitor at most once per slot, however often and however late it is asked", () => {
    // 300 monitors every 10 s, asked at random moments over ten minutes, in bursts and in silences
    // longer than an interval: past any ceiling, the answer may be late or skip a slot, never repeat.
    const monitors = Array.from({ length: 300 }, (_, i) => monitor(`busy-${i}`, 10));
    const lastSlots: Record<string, number> = {};
    const taken = new Map<string, number[]>();
    let now = Date.UTC(2026, 11, 2, 12, 0, 0);
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2_000; i++) {
      now += Math.floor(random() < 0.1 ? random() * 25_000 : random() * 400);
      for (const d of takeDue(monitors, lastSlots, now)) {
        taken.set(d.monitor.id, [...(taken.get(d.monitor.id) ?? []), d.slot]);
        expect(d.scheduledAt).toBe(slotStart(slotClock(d.monitor.id, 10), d.slot));
        expect(d.lateMs).toBe(Math.max(0, now - d.scheduledAt));
        // Taken ahead of its start by at most a window and the hand-off lead.
        expect(d.scheduledAt - now).toBeLessThan(TICK_WINDOW_MS + HANDOFF_LEAD_MS);
        expect(d.scheduledAt).toBeLessThan(windowEnd(now));
      }
    }
    for (const m of monitors) {
      const slots = taken.get(m.id) ?? [];
      expect(new Set(slots).size, `${m.id}: ${slots}`).toBe(slots.length);
      expect(slots.length).toBeGreaterThan(10);
    }
  });

  it("marks a start consecutive only in the slot right after the last one (not a first start, not after a gap)", () => {
    const monitors = ["s-next", "s-first", "s-gap"].map((id) => monitor(id, 60));
    // Just after s-first's slot began, so that a first start may start in it.
    const clockOfFirst = slotClock("s-first", 60);
    const now = slotStart(clockOfFirst, slotAt(clockOfFirst, Date.now())) + 100;
    // The slot each is taken in: the latest that starts before the end of the window at hand.
    const slotOf = (id: string) => slotAt(slotClock(id, 60), windowEnd(now) - 1);
    const due = takeDue(monitors, { "s-next": slotOf("s-next") - 1, "s-gap": slotOf("s-gap") - 3 }, now);
    expect(Object.fromEntries(due.map((d) => [d.monitor.id, d.consecutive]))).toEqual({
      "s-next": true,
      "s-first": false,
      "s-gap": false,
    });
  });

  it("a monitor never probed waits for its own slot: a deploy does not release every monitor at once", () => {
    const monitors = Array.from({ length: 600 }, (_, i) => monitor(`new-${i}`, 30));
    const startOf = (id: string, t: number) => {
      const clock = slotClock(id, 30);
      return slotStart(clock, slotAt(clock, t));
    };
    const t0 = Date.UTC(2026, 11, 2, 12, 0, 2, 500); // 2.5 s into a 5 s window
    const lastSlots: Record<string, number> = {};
    // Now: only those whose slot began within the last second or begins in the window at hand.
    const now = takeDue(monitors, lastSlots, t0);
    const expected = monitors.filter((m) => {
      const next = startOf(m.id, windowEnd(t0) - 1);
      return next >= t0 - 1_000 && next < windowEnd(t0);
    });
    expect(now.map((d) => d.monitor.id).sort()).toEqual(expected.map((m) => m.id).sort());
    expect(now.length).toBeLessThan(150); // ~ 600 × 3.5 s / 30 s, not 600
    // Then a window at a time, handed over half a second before it begins, each at its own start:
    // about a sixth of them (5 s of the 30 s interval), spread over the window.
    const first = nextDue(monitors, lastSlots, t0);
    expect(first).toBe(Date.UTC(2026, 11, 2, 12, 0, 5) - HANDOFF_LEAD_MS);
    const wave = takeDue(monitors, lastSlots, first);
    expect(wave.length).toBeGreaterThan(60);
    expect(wave.length).toBeLessThan(140);
    const starts = wave.map((d) => d.scheduledAt);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(Date.UTC(2026, 11, 2, 12, 0, 5));
    expect(Math.max(...starts)).toBeLessThan(Date.UTC(2026, 11, 2, 12, 0, 10));
    expect(Math.max(...starts) - Math.min(...starts)).toBe(4_000);
    expect(new Set(starts).size).toBe(5); // five instants a second apart, not one
    for (const d of wave) expect(d.lateMs).toBe(0);
    expect(wave.every((d) => !d.consecutive)).toBe(true); // a first start, not judged for lateness
  });

  it("wakes the hand-off lead before the window that holds the earliest next slot", () => {
    const [a, b] = [monitor("a", 30), monitor("b", 60)];
    const now = Date.UTC(2026, 11, 2, 12, 0, 0);
    const lastSlots: Record<string, number> = {
      a: slotAt(slotClock("a", 30), now),
      b: slotAt(slotClock("b", 60), now),
    };
    const next = nextDue([a, b] as never, lastSlots, now);
    const earliest = Math.min(
      slotStart(slotClock("a", 30), (lastSlots.a ?? 0) + 1),
      slotStart(slotClock("b", 60), (lastSlots.b ?? 0) + 1),
    );
    expect(next).toBe(Math.floor(earliest / TICK_WINDOW_MS) * TICK_WINDOW_MS - HANDOFF_LEAD_MS);
    expect(next).toBeGreaterThan(now);
    // Awake then, the prober takes it, ahead of its start.
    const taken = takeDue([a, b] as never, { ...lastSlots }, next);
    expect(taken.map((d) => d.scheduledAt)).toContain(earliest);
  });
});

describe("start lateness", () => {
  it("is the start time minus the start of the slot, and 'on time' is within 1 s", () => {
    const tally = emptyTally();
    const slot = Date.UTC(2026, 11, 2, 12, 0, 0);
    tallyStart(tally, { scheduledAt: slot, checkedAt: slot + 40, waitedMs: 3 });
    tallyStart(tally, { scheduledAt: slot, checkedAt: slot + 1_000, waitedMs: 900 });
    tallyStart(tally, { scheduledAt: slot, checkedAt: slot + 1_001, waitedMs: 2 });
    tallyStart(tally, { scheduledAt: slot, checkedAt: slot + 7_500 });
    expect(tally.probes).toBe(4);
    expect(tally.late).toBe(2); // 1,001 ms and 7,500 ms; 1,000 ms is still on time
    expect(tally.maxLateMs).toBe(7_500);
    expect(tally.lateness.n).toBe(4);
    expect(tally.waited.n).toBe(3); // a record without a hand-off time has no wait to count
    expect(tally.maxWaitedMs).toBe(900);
  });
});

describe("a prober's hand-off, run by the runner", () => {
  const order = (id: string, handedAt = Date.now()): ProbeOrder => ({
    monitorId: id,
    scheduledAt: handedAt,
    handedAt,
  });

  const idsOf = (orders: readonly ProbeOrder[]) => orders.map((o) => o.monitorId).sort();

  it("deals the orders into at most MAX_CHILDREN invocations, none empty, none lost", () => {
    const orders = Array.from({ length: 100 }, (_, i) => order(`m-${i}`));
    const groups = dealOrders(orders, MAX_CHILDREN);
    expect(groups).toHaveLength(MAX_CHILDREN);
    expect(idsOf(groups.flat())).toEqual(idsOf(orders));
    expect(
      Math.max(...groups.map((g) => g.length)) - Math.min(...groups.map((g) => g.length)),
    ).toBeLessThanOrEqual(1);
    expect(dealOrders(orders.slice(0, 5), MAX_CHILDREN).map((g) => g.length)).toEqual([1, 1, 1, 1, 1]);
    expect(dealOrders([], MAX_CHILDREN)).toEqual([]);
  });

  it("gives each invocation one start instant, and the busiest instants the most invocations", () => {
    const t = 1_000_000;
    // A window's five instants, a second apart, of 40, 10, 10, 10 and 30 probes.
    const sizes = [40, 10, 10, 10, 30];
    const orders = sizes.flatMap((n, i) =>
      Array.from({ length: n }, (_, j) => ({ ...order(`i${i}-${j}`, t), scheduledAt: t + 1000 * i })),
    );
    const groups = dealOrders(orders, MAX_CHILDREN);
    expect(groups).toHaveLength(MAX_CHILDREN);
    for (const g of groups) {
      expect(g.length).toBeGreaterThan(0);
      expect(new Set(g.map((o) => o.scheduledAt)).size).toBe(1); // one wake-up per invocation
    }
    expect(idsOf(groups.flat())).toEqual(idsOf(orders));
    const invocationsAt = (i: number) => groups.filter((g) => g[0]?.scheduledAt === t + 1000 * i).length;
    const k = sizes.map((_, i) => invocationsAt(i));
    expect(k[0]).toBeGreaterThan(k[4] ?? 0);
    expect(k[4]).toBeGreaterThan(k[1] ?? 0);
    // No invocation could move to another instant and lower the busiest instant's probes per invocation.
    const load = sizes.map((n, i) => n / (k[i] ?? 1));
    const ifOneFewer = sizes.map((n, i) => ((k[i] ?? 1) > 1 ? n / ((k[i] ?? 1) - 1) : Infinity));
    expect(Math.max(...load)).toBeLessThanOrEqual(Math.min(...ifOneFewer));
  });

  it("with more instants than invocations, neighbouring instants share one, none lost or empty", () => {
    const t = 1_000_000;
    const orders = Array.from({ length: 60 }, (_, i) => ({
      ...order(`m-${i}`, t),
      scheduledAt: t + 100 * i,
    }));
    const groups = dealOrders(orders, MAX_CHILDREN);
    expect(groups.length).toBeLessThanOrEqual(MAX_CHILDREN);
    expect(groups.length).toBeGreaterThanOrEqual(MAX_CHILDREN - 1);
    expect(groups.flat().map((o) => o.monitorId)).toEqual(orders.map((o) => o.monitorId)); // in start order
    for (const g of groups) expect(g.length).toBeGreaterThan(0);
    expect(Math.max(...groups.map((g) => g.length))).toBeLessThanOrEqual(4);
  });

  it("starts every probe at once and delivers the healthy ones while hostile ones hold their connections", async () => {
    const ids = [
      ...Array.from({ length: 8 }, (_, i) => `hostile-${i}`),
      ...Array.from({ length: 6 }, (_, i) => `healthy-${i}`),
    ];
    const handedAt = Date.now();
    const started = new Map<string, number>();
    const delivered: { at: number; records: ProbeRecord[] }[] = [];
    const record = (o: ProbeOrder, checkedAt: number, ok: boolean): ProbeRecord => ({
      monitorId: o.monitorId,
      vantage: "weur",
      scheduledAt: o.scheduledAt,
      checkedAt,
      waitedMs: checkedAt - o.handedAt,
      result: ok
        ? { ok: true, latencyMs: 20 }
        : { ok: false, latencyMs: 600, error: { kind: "timeout", message: "no answer" } },
    });
    const outcome = await runJob(
      { region: "weur", orders: ids.map((id) => order(id, handedAt)) },
      {
        // Each group is an invocation of its own: one probe each here (14 ≤ MAX_CHILDREN).
        probeSome: async (orders) => ({
          records: await Promise.all(
            orders.map(async (o) => {
              const at = Date.now();
              started.set(o.monitorId, at);
              const hostile = o.monitorId.startsWith("hostile");
              await sleep(hostile ? 600 : 20);
              return record(o, at, !hostile);
            }),
          ),
          shed: [],
        }),
        deliver: async ({ records }) => {
          delivered.push({ at: Date.now(), records });
        },
      },
    );
    expect(outcome.probed).toBe(14);
    for (const id of ids) expect((started.get(id) ?? Infinity) - handedAt, id).toBeLessThan(100);
    const healthyAt =
      delivered.find((d) => d.records.some((r) => r.monitorId === "healthy-0"))?.at ?? Infinity;
    expect(healthyAt - handedAt).toBeLessThan(20 + GATHER_MS + 150); // not held back by the 600 ms ones
    expect(delivered.flatMap((d) => d.records.map((r) => r.monitorId)).sort()).toEqual([...ids].sort());
  });

  it("a window's successes travel together once its last probe has started; a failure does not wait for them", async () => {
    const handedAt = Date.now();
    // Healthy probes starting every 100 ms over half a second, one that fails at once, one that hangs.
    const starts: Record<string, number> = { fails: 0, hangs: 0 };
    for (let i = 0; i < 6; i++) starts[`healthy-${i}`] = 100 * i;
    const delivered: { at: number; ids: string[] }[] = [];
    await runJob(
      {
        region: "weur",
        orders: Object.entries(starts).map(([id, ms]) => ({
          ...order(id, handedAt),
          scheduledAt: handedAt + ms,
        })),
      },
      {
        probeSome: async (orders) => ({
          shed: [],
          records: await Promise.all(
            orders.map(async (o) => {
              await sleep(o.scheduledAt - Date.now());
              const checkedAt = Date.now();
              await sleep(o.monitorId === "hangs" ? 1_500 : 20);
              const ok = o.monitorId.startsWith("healthy");
              return {
                monitorId: o.monitorId,
                vantage: "weur",
                scheduledAt: o.scheduledAt,
                checkedAt,
                result: ok
                  ? { ok: true, latencyMs: 20 }
                  : { ok: false, latencyMs: 20, error: { kind: "refused" as const, message: "refused" } },
              };
            }),
          ),
        }),
        deliver: async ({ records }) => {
          delivered.push({ at: Date.now() - handedAt, ids: records.map((r) => r.monitorId) });
        },
      },
    );
    const whenDelivered = (id: string) => delivered.find((d) => d.ids.includes(id));
    expect(whenDelivered("fails")?.at).toBeLessThan(20 + GATHER_MS + 100); // before the window's end
    // The three that start after the failure went out travel together, held until the last start.
    const late = whenDelivered("healthy-5");
    expect(late?.ids).toEqual(expect.arrayContaining(["healthy-3", "healthy-4", "healthy-5"]));
    expect(late?.at).toBeGreaterThanOrEqual(500 + GATHER_MS - 30);
    expect(late?.at).toBeLessThan(500 + GATHER_MS + 150);
    expect(delivered.length).toBeLessThanOrEqual(3); // the failure's, the window's, the hung one's
    expect(delivered.flatMap((d) => d.ids).sort()).toEqual(Object.keys(starts).sort());
  });

  it("a group whose invocation fails is dropped, the others are delivered", async () => {
    const delivered: string[] = [];
    const outcome = await runJob(
      { region: "weur", orders: ["a", "b", "c"].map((id) => order(id)) },
      {
        probeSome: async (orders) => {
          if (orders.some((o) => o.monitorId === "b")) throw new Error("invocation limit");
          const records = orders.map((o) => ({
            monitorId: o.monitorId,
            vantage: "weur",
            scheduledAt: o.scheduledAt,
            checkedAt: Date.now(),
            result: { ok: true, latencyMs: 1 },
          }));
          return { records, shed: [] };
        },
        deliver: async ({ records }) => {
          delivered.push(...records.map((r) => r.monitorId));
        },
      },
    );
    expect(outcome.probed).toBe(2);
    expect(delivered.sort()).toEqual(["a", "c"]);
  });

  it("skipped probes travel to the state objects with the results, at the latest in the job's last delivery", async () => {
    const delivered: { ids: string[]; shed: string[] }[] = [];
    const outcome = await runJob(
      { region: "weur", orders: ["a", "b", "c"].map((id) => order(id)) },
      {
        probeSome: async (orders) => {
          const [first, ...rest] = orders;
          await sleep(first?.monitorId === "a" ? 10 : 60);
          return {
            records: rest.map((o) => ({
              monitorId: o.monitorId,
              vantage: "weur",
              scheduledAt: o.scheduledAt,
              checkedAt: Date.now(),
              result: { ok: true, latencyMs: 1 },
            })),
            shed: first
              ? [{ monitorId: first.monitorId, scheduledAt: first.scheduledAt, waitedMs: 5_200 }]
              : [],
          };
        },
        deliver: async ({ records, shed }) => {
          delivered.push({ ids: records.map((r) => r.monitorId), shed: shed.map((s) => s.monitorId) });
        },
      },
    );
    expect(outcome.probed).toBe(0); // one order per group here, each skipped
    expect(delivered.flatMap((d) => d.shed).sort()).toEqual(["a", "b", "c"]);
    expect(delivered.length).toBe(1); // nothing to confirm: they wait for the job's end
  });
});
