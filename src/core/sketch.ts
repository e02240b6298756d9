/**
 * A small mergeable quantile sketch for latencies: a log-bucket histogram with 2 % relative
 * accuracy (DDSketch-style). Bucket i holds values in (γ^(i-1), γ^i]; values ≤ 0 have a bucket of
 * their own. Merging adds counts, so 5-minute sketches roll up into hours and days exactly.
 * Plain JSON, so it can live in a rollup row as is.
 */
export interface Sketch {
  /** Values counted. */
  n: number;
  /** Values ≤ 0. */
  z: number;
  /** Bucket index → count (sparse). */
  b: Record<string, number>;
}

export const SKETCH_RELATIVE_ACCURACY = 0.02;
const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

export const emptySketch = (): Sketch => ({ n: 0, z: 0, b: {} });

export function bucketOf(value: number): number {
  return Math.ceil(Math.log(value) / LOG_GAMMA);
}

/** The value a bucket stands for: within the relative accuracy of everything in it. */
export function bucketValue(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}

export function addValue(s: Sketch, value: number): void {
  if (!Number.isFinite(value)) return;
  s.n++;
  if (value <= 0) {
    s.z++;
    return;
  }
  const k = String(bucketOf(value));
  s.b[k] = (s.b[k] ?? 0) + 1;
}

/** a + b, as a new sketch. */
export function mergeSketches(a: Sketch | undefined, b: Sketch | undefined): Sketch {
  const out: Sketch = { n: (a?.n ?? 0) + (b?.n ?? 0), z: (a?.z ?? 0) + (b?.z ?? 0), b: { ...a?.b } };
  for (const [k, c] of Object.entries(b?.b ?? {})) out.b[k] = (out.b[k] ?? 0) + c;
  return out;
}

/** after − before for two readings of one growing sketch: what was added in between. */
export function sketchDelta(after: Sketch, before: Sketch | undefined): Sketch {
  const out: Sketch = { n: after.n - (before?.n ?? 0), z: after.z - (before?.z ?? 0), b: {} };
  for (const [k, c] of Object.entries(after.b)) {
    const d = c - (before?.b[k] ?? 0);
    if (d > 0) out.b[k] = d;
  }
  return out;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) by nearest rank: the value of the ⌈q·n⌉-th smallest (at least the
 * first), within 2 % of the true one. undefined for an empty sketch.
 */
export function quantile(s: Sketch, q: number): number | undefined {
  if (s.n === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * s.n));
  if (rank <= s.z) return 0;
  let seen = s.z;
  const keys = Object.keys(s.b)
    .map(Number)
    .sort((x, y) => x - y);
  for (const k of keys) {
    seen += s.b[String(k)] ?? 0;
    if (seen >= rank) return bucketValue(k);
  }
  return bucketValue(keys[keys.length - 1] as number);
}
