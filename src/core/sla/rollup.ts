import { addValue, emptySketch, mergeSketches, type Sketch } from "../sketch.ts";
import type { State } from "../verdict.ts";

/**
 * Rollups: per monitor and vantage (and overall, region `*`), milliseconds in each state, probe
 * counts and a latency sketch, in 5-minute buckets compacted into hours and days. A state shard
 * keeps its open buckets in memory and writes each closed bucket period as ONE row holding every
 * monitor of the shard, so storage writes grow with time, not with probes.
 */
export const FIVE_MIN = 300_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** A bucket is written this long after it ends, so results delivered late still land in it. */
export const CLOSE_GRACE_MS = 150_000;

export const STATE_ORDER = ["up", "degraded", "down", "unknown", "maintenance"] as const;

export interface Cell {
  /** Milliseconds per state, in STATE_ORDER. */
  ms: [number, number, number, number, number];
  /** Probe results counted. */
  n: number;
  /** Latency of the probes that got an answer. */
  l: Sketch;
}

/** key → cell; key is `${monitorId}|${region}`, region `*` for the monitor's overall state. */
export type BucketData = Record<string, Cell>;

export interface RollupState {
  /** Per key: the state in force and up to when its time has been counted. */
  cursors: Record<string, { state: State; at: number }>;
  /** Open 5-minute buckets by start. */
  open: Record<string, BucketData>;
  /** Everything before this was written; late results count in the first open bucket. */
  closedUntil: number;
}

export const rollupKey = (monitorId: string, region: string) => `${monitorId}|${region}`;
export const OVERALL = "*";

const floorTo = (t: number, size: number) => Math.floor(t / size) * size;
export const emptyCell = (): Cell => ({ ms: [0, 0, 0, 0, 0], n: 0, l: emptySketch() });

export function mergeCells(a: Cell | undefined, b: Cell | undefined): Cell {
  const ms = (a?.ms ?? [0, 0, 0, 0, 0]).map((v, i) => v + (b?.ms[i] ?? 0)) as Cell["ms"];
  return { ms, n: (a?.n ?? 0) + (b?.n ?? 0), l: mergeSketches(a?.l, b?.l) };
}

export function mergeBuckets(list: readonly BucketData[]): BucketData {
  const out: BucketData = {};
  for (const data of list) for (const [k, c] of Object.entries(data)) out[k] = mergeCells(out[k], c);
  return out;
}

export class RollupAccumulator {
  state: RollupState;

  constructor(saved?: RollupState) {
    this.state = saved ?? { cursors: {}, open: {}, closedUntil: 0 };
  }

  private cell(at: number, key: string): Cell {
    const start = Math.max(floorTo(at, FIVE_MIN), this.state.closedUntil);
    const bucket = this.state.open[start] ?? {};
    this.state.open[start] = bucket;
    const c = bucket[key] ?? emptyCell();
    bucket[key] = c;
    return c;
  }

  /** Counts the key's current state up to `to`, split at bucket boundaries. */
  private accrue(key: string, to: number): void {
    const cur = this.state.cursors[key];
    if (!cur) return;
    const index = STATE_ORDER.indexOf(cur.state as (typeof STATE_ORDER)[number]);
    let t = Math.max(cur.at, this.state.closedUntil);
    while (t < to) {
      const end = Math.min(to, floorTo(t, FIVE_MIN) + FIVE_MIN);
      if (index >= 0) {
        const c = this.cell(t, key);
        c.ms[index] = (c.ms[index] ?? 0) + end - t;
      }
      t = end;
    }
    cur.at = Math.max(cur.at, to);
  }

  /** The key's state is `state` from `at` on (a transition; repeated states are harmless). */
  observe(key: string, state: State, at: number): void {
    const cur = this.state.cursors[key];
    const t = Math.max(at, cur?.at ?? at, this.state.closedUntil);
    this.accrue(key, t);
    if (cur?.state === state) return;
    this.state.cursors[key] = { state, at: t };
  }

  probe(key: string, at: number, latencyMs: number | undefined): void {
    const c = this.cell(at, key);
    c.n++;
    if (latencyMs !== undefined) addValue(c.l, latencyMs);
  }

  /** Counts every key's time up to `now`. */
  advance(now: number): void {
    for (const key of Object.keys(this.state.cursors)) this.accrue(key, now);
  }

  /** Drops keys no longer configured (their time stops counting). */
  forget(keep: (key: string) => boolean): void {
    for (const key of Object.keys(this.state.cursors)) if (!keep(key)) delete this.state.cursors[key];
  }

  /** Advances to `now` and hands over the buckets that ended at least CLOSE_GRACE_MS ago, oldest first. */
  takeClosed(now: number): { start: number; data: BucketData }[] {
    this.advance(now);
    const limit = floorTo(now - CLOSE_GRACE_MS, FIVE_MIN);
    const out: { start: number; data: BucketData }[] = [];
    for (const key of Object.keys(this.state.open)) {
      const start = Number(key);
      if (start + FIVE_MIN > limit) continue;
      out.push({ start, data: this.state.open[key] as BucketData });
      delete this.state.open[key];
    }
    if (limit > this.state.closedUntil) this.state.closedUntil = limit;
    // Whatever is still open after the limit keeps accruing; late results move forward.
    return out.sort((a, b) => a.start - b.start);
  }

  /** Open buckets (not written yet) whose start is in [from, to). */
  openBetween(from: number, to: number): { start: number; data: BucketData }[] {
    return Object.entries(this.state.open)
      .map(([k, data]) => ({ start: Number(k), data }))
      .filter((b) => b.start >= from && b.start < to);
  }
}
