import type { PromText } from "../../src/core/prometheus/parse.ts";

/** Unit suffixes Prometheus' naming guide rules out in favour of base units. */
const NON_BASE_UNITS =
  /_(ms|milliseconds|microseconds|us|ns|nanoseconds|minutes|hours|days|kb|kilobytes|mb|megabytes|percent)$/;

/**
 * Every way a scraped exposition breaks Prometheus' metric naming rules (prometheus.io "Metric
 * and label naming", "Writing exporters"): one prefix, base units, `_total` on counters and only
 * there, `_info` series at 1, HELP and TYPE for every family, label names that are valid and not
 * reserved. Empty when the page follows them.
 */
export function namingProblems(page: PromText, prefix: string): string[] {
  const problems: string[] = [];
  const families = new Set(page.samples.map((s) => s.name));
  for (const name of families) {
    const type = page.types.get(name);
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) problems.push(`${name}: not a valid metric name`);
    if (!name.startsWith(prefix)) problems.push(`${name}: does not start with ${prefix}`);
    if (type === undefined) problems.push(`${name}: no TYPE line`);
    if (!page.help.get(name)) problems.push(`${name}: no HELP line`);
    if (type === "counter" && !name.endsWith("_total")) problems.push(`${name}: a counter without _total`);
    if (type !== "counter" && name.endsWith("_total")) problems.push(`${name}: _total on a ${type}`);
    if (NON_BASE_UNITS.test(name)) problems.push(`${name}: not in base units`);
    if (/timestamp/.test(name) && !name.endsWith("_timestamp_seconds")) {
      problems.push(`${name}: a timestamp not in seconds`);
    }
    for (const s of page.samples.filter((x) => x.name === name)) {
      for (const label of Object.keys(s.labels)) {
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label) || label.startsWith("__")) {
          problems.push(`${name}: bad label name ${label}`);
        }
      }
      if (name.endsWith("_info") && s.value !== 1) problems.push(`${name}: an info series valued ${s.value}`);
    }
  }
  return [...new Set(problems)];
}
