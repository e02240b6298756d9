const UNITS: ReadonlyArray<readonly [ms: number, singular: string, plural: string]> = [
  [86_400_000, "day", "days"],
  [3_600_000, "h", "h"],
  [60_000, "m", "m"],
  [1_000, "s", "s"],
  [1, "ms", "ms"],
];

/**
 * Formats a duration the way the node's Rust `humantime` crate does in `/status`
 * (`uptime`, `round_length`): "5days 13h 46m 54s 520ms", "4s 96ms", "0s".
 */
export function formatHumantime(durationMs: number): string {
  let rest = Math.max(0, Math.floor(durationMs));
  const parts: string[] = [];
  for (const [unitMs, singular, plural] of UNITS) {
    const count = Math.floor(rest / unitMs);
    rest -= count * unitMs;
    if (count > 0) parts.push(`${count}${count === 1 ? singular : plural}`);
  }
  return parts.length > 0 ? parts.join(" ") : "0s";
}
