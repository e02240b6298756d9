import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "../../src/core/prometheus/parse.ts";
import { namingProblems } from "../support/prometheus-naming.ts";

const page = (text: string) => {
  const parsed = parsePrometheusText(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

describe("the Prometheus naming check used on /metrics", () => {
  it("passes a page that follows the rules", () => {
    const ok = page(
      [
        "# HELP x_probe_latency_seconds Latency",
        "# TYPE x_probe_latency_seconds gauge",
        'x_probe_latency_seconds{id="a"} 0.05',
        "# HELP x_monitor_info Labels",
        "# TYPE x_monitor_info gauge",
        'x_monitor_info{id="a",name="A"} 1',
        "# HELP x_probes_total Probes",
        "# TYPE x_probes_total counter",
        "x_probes_total 3",
        "",
      ].join("\n"),
    );
    expect(namingProblems(ok, "x_")).toEqual([]);
  });

  it("names each broken rule: units, counters, info values, HELP, prefix, timestamps", () => {
    const bad = page(
      [
        "# TYPE x_latency_ms gauge",
        "x_latency_ms 50",
        "# HELP x_probes Probes",
        "# TYPE x_probes counter",
        "x_probes 3",
        "# HELP x_up_total Up",
        "# TYPE x_up_total gauge",
        "x_up_total 1",
        "# HELP x_info Labels",
        "# TYPE x_info gauge",
        "x_info 2",
        "# HELP y_cert_expiry_timestamp Expiry",
        "# TYPE y_cert_expiry_timestamp gauge",
        "y_cert_expiry_timestamp 1700000000",
        "",
      ].join("\n"),
    );
    expect(namingProblems(bad, "x_")).toEqual([
      "x_latency_ms: no HELP line",
      "x_latency_ms: not in base units",
      "x_probes: a counter without _total",
      "x_up_total: _total on a gauge",
      "x_info: an info series valued 2",
      "y_cert_expiry_timestamp: does not start with x_",
      "y_cert_expiry_timestamp: a timestamp not in seconds",
    ]);
  });
});
