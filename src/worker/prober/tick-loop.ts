import type { Monitor } from "../../core/config/schema.ts";
import type { ProbeRecord } from "../../core/records.ts";
import type { ProbeResult } from "../../core/result.ts";
import { isDue, nextDueAt, type SlotClock, slotAt, slotClock, slotStart } from "../../core/schedule.ts";
import { startNow, type Waiting } from "../../core/start-order.ts";
import type { Connections } from "./connections.ts";
import { Courier } from "./courier.ts";

/** A tick keeps running while the next slot comes within this; beyond it, an alarm is cheaper. */
export const HOLD_MS = 1_000;
/** After this long a tick starts nothing new and ends once its running probes are done. */
export const MAX_TICK_MS = 60_000;
/** A probe is on time when it starts within this of its slot's start. */
export const ON_TIME_TOLERANCE_MS = 1_000;
/** How long a finished result may wait for others to travel with it. */
export const GATHER_MS = 250;

export interface TickPlan {
  monitors: readonly Monitor[];
  /** Slot each monitor last started in; updated as probes start, so none runs twice in a slot. */
  lastSlots: Record<string, number>;
  /** Monitors whose last probe held its connection too long: they start last (core/start-order.ts). */
  suspects: Set<string>;
  limit: number;
  /** Connections held by this object's runs, this one included. */
  connections: Connections;
  /** Probe these now, once each, whatever their slot (admin "probe now", confirmations). */
  force?: boolean;
  /** How long this run starts new probes (default MAX_TICK_MS). */
  maxTickMs?: number;
}

/** One probe as it starts: a scheduled one with its timing, or a forced one (no slot to be late for). */
export type StartSample =
  | { forced: true }
  | {
      forced: false;
      lateMs: number;
      queueMs: number;
      onTime: boolean;
      /** The slot right after the monitor's last one: not a first start, not a resumption after a gap. */
      consecutive: boolean;
    };

export interface TickIo {
  probe(monitor: Monitor): Promise<ProbeResult>;
  deliver(records: ProbeRecord[]): Promise<void>;
  vantage: string;
  /**
   * Told of each probe as it starts, so counters stay current while a long tick runs (an
   * overloaded tick can run a minute; counting at its end showed an overload as no probes at all).
   */
  started?(sample: StartSample): void;
}

export interface TickOutcome {
  probed: number;
  /** Probes that started in the slot right after the one they last ran in (none skipped). */
  onTime: number;
  /** Start minus slot start, per probe (ms); forced probes have no slot and are not counted. */
  lateness: number[];
  /**
   * Of each lateness, the part spent due but waiting for a free connection (ms): the rest is the
   * loop waking late (a late alarm, a busy thread).
   */
  queueWait: number[];
}

/** A probe that held its connection this long (hung, dripping, streaming) makes its monitor a suspect. */
const holdsTooLong = (m: Monitor) => m.timeoutMs / 2;

const internalFailure = (e: unknown): ProbeResult => ({
  ok: false,
  latencyMs: 0,
  error: { kind: "internal", message: `probe failed: ${String(e)}` },
});

interface Queued extends Waiting {
  monitor: Monitor;
  clock: SlotClock;
  /** When the loop saw it due. */
  enqueuedAt: number;
}

/** Resolves after `ms` (never, for Infinity) or once `wake` is called, whichever is first. */
function nap(ms: number): { done: Promise<void>; wake: () => void } {
  let wake: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(resolve, Math.max(0, ms)) : undefined;
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}

/**
 * One prober tick as a small event loop: start every monitor whose slot has come (the limit
 * permitting), hand each result on as it finishes, and keep going while another slot comes within
 * HOLD_MS, so a slow or hung probe delays neither the start nor the delivery of any other.
 */
export async function runTick(plan: TickPlan, io: TickIo): Promise<TickOutcome> {
  const started = Date.now();
  const waiting = new Map<string, Queued>();
  const running = new Set<string>();
  const courier = new Courier(io.deliver, GATHER_MS);
  const outcome: TickOutcome = { probed: 0, onTime: 0, lateness: [], queueWait: [] };
  const once = plan.force ? new Set(plan.monitors.map((m) => m.id)) : undefined;

  const enqueue = (now: number) => {
    for (const monitor of plan.monitors) {
      if (waiting.has(monitor.id) || running.has(monitor.id)) continue;
      const clock = slotClock(monitor.id, monitor.intervalSec);
      if (once ? !once.delete(monitor.id) : !isDue(clock, plan.lastSlots[monitor.id], now)) continue;
      const dueAt = once ? now : slotStart(clock, slotAt(clock, now));
      waiting.set(monitor.id, {
        id: monitor.id,
        monitor,
        clock,
        dueAt,
        suspect: plan.suspects.has(monitor.id),
        enqueuedAt: now,
      });
    }
  };

  /** Starts a waiting probe; false when another run of this object already started it in this slot. */
  const start = (q: Queued): boolean => {
    const checkedAt = Date.now();
    const slot = slotAt(q.clock, checkedAt);
    const last = plan.lastSlots[q.id];
    waiting.delete(q.id);
    // Another run of this object got there first (a forced run, an overlapping alarm).
    if (!once && last === slot) return false;
    if (once) io.started?.({ forced: true });
    else {
      const onTime = last === undefined || slot === last + 1;
      if (onTime) outcome.onTime++;
      const lateMs = checkedAt - slotStart(q.clock, slot);
      const queueMs = checkedAt - Math.max(q.enqueuedAt, slotStart(q.clock, slot));
      outcome.lateness.push(lateMs);
      outcome.queueWait.push(queueMs);
      io.started?.({
        forced: false,
        lateMs,
        queueMs,
        onTime,
        consecutive: last !== undefined && slot === last + 1,
      });
    }
    plan.lastSlots[q.id] = slot;
    running.add(q.id);
    plan.connections.take(q.suspect);
    outcome.probed++;
    void io
      .probe(q.monitor)
      .catch(internalFailure)
      .then((result) => {
        running.delete(q.id);
        plan.connections.release(q.suspect);
        if (Date.now() - checkedAt >= holdsTooLong(q.monitor)) plan.suspects.add(q.id);
        else plan.suspects.delete(q.id);
        const record: ProbeRecord = {
          monitorId: q.id,
          vantage: io.vantage,
          scheduledAt: slotStart(q.clock, slot),
          checkedAt,
          result,
          ...(once ? { forced: true } : {}),
        };
        courier.push(record, running.size === 0);
      });
    return true;
  };

  const nextSlotAt = () => {
    let next = Number.POSITIVE_INFINITY;
    if (once) return next;
    for (const m of plan.monitors) {
      if (waiting.has(m.id) || running.has(m.id)) continue;
      next = Math.min(next, nextDueAt(slotClock(m.id, m.intervalSec), plan.lastSlots[m.id], Date.now()));
    }
    return next;
  };

  for (;;) {
    const now = Date.now();
    const accepting = now - started < (plan.maxTickMs ?? MAX_TICK_MS);
    if (accepting) enqueue(now);
    let skipped = false;
    for (const q of startNow([...waiting.values()], plan.connections, plan.limit))
      if (!start(q)) skipped = true;
    // A skipped one left its connection free: look again now rather than wait for a release.
    if (skipped) continue;

    const next = accepting ? nextSlotAt() : Number.POSITIVE_INFINITY;
    if (running.size === 0 && waiting.size === 0 && next - Date.now() > HOLD_MS) break;
    // Until the next slot, or sooner when a probe (of any run of this object) frees a connection.
    const pause = nap(next - Date.now());
    const stop = plan.connections.onRelease(pause.wake);
    await pause.done;
    stop();
  }
  await courier.drain();
  return outcome;
}
