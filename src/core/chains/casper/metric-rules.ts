import type { Reason } from "../../verdict.ts";

/** Enough digits to tell values apart, without float noise ("0.30000000000000004"). */
function show(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/**
 * Warn reasons for gauges outside the bounds a `casper-metrics` check sets (`check.gauges`), e.g.
 * "peers = 0 (minimum 1)". A gauge the page does not have (or has as NaN/±Inf, which facts omit)
 * is a reason too: a bound that cannot be checked must not pass silently. Each gauge has its own
 * code (`gauge:<name>`, `gauge_missing:<name>`), so reasons about different gauges are not merged.
 * Pure.
 */
export function metricReasons(
  metrics: Readonly<Record<string, number>> | undefined,
  gauges: Readonly<Record<string, { min?: number; max?: number }>>,
): Reason[] {
  const reasons: Reason[] = [];
  for (const [name, bounds] of Object.entries(gauges)) {
    const value = metrics && Object.hasOwn(metrics, name) ? metrics[name] : undefined;
    if (value === undefined) {
      reasons.push({
        code: `gauge_missing:${name}`,
        severity: "warn",
        message: `gauge ${name} is missing from /metrics (or not a number)`,
      });
    } else if (bounds.min !== undefined && value < bounds.min) {
      reasons.push({
        code: `gauge:${name}`,
        severity: "warn",
        message: `${name} = ${show(value)} (minimum ${show(bounds.min)})`,
      });
    } else if (bounds.max !== undefined && value > bounds.max) {
      reasons.push({
        code: `gauge:${name}`,
        severity: "warn",
        message: `${name} = ${show(value)} (maximum ${show(bounds.max)})`,
      });
    }
  }
  return reasons;
}
