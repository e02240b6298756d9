import { Hono } from "hono";
import type { PublicMonitor } from "../../core/public.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { presentHealth } from "./present.ts";
import { deferOf, publicBody } from "./public-view.ts";

export const metricsRoutes = new Hono<{ Bindings: Env }>();

const STATES = ["up", "degraded", "down", "unknown", "maintenance"] as const;

/** Label values escape `\`, `"` and newlines, the only escapes the exposition format has. */
export function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

type Labels = Record<string, string>;
const labelText = (l: Labels) =>
  Object.keys(l).length === 0
    ? ""
    : `{${Object.entries(l)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(",")}}`;

class Exposition {
  private readonly lines: string[] = [];
  family(name: string, help: string, type: "gauge", samples: [Labels, number][]): void {
    if (samples.length === 0) return;
    this.lines.push(`# HELP ${name} ${help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n")}`);
    this.lines.push(`# TYPE ${name} ${type}`);
    for (const [l, v] of samples) this.lines.push(`${name}${labelText(l)} ${Number.isFinite(v) ? v : "NaN"}`);
  }
  text(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

export interface MetricsInput {
  monitors: PublicMonitor[];
  /** Network (tags.network or chain) per monitor id, for lag against the group's highest height. */
  network: Map<string, string>;
  /** Operator and network per monitor id, for the info series. */
  tags: Map<string, { operator?: string; network?: string }>;
  monitoringDegraded: boolean;
}

/**
 * Prometheus text exposition (0.0.4) of the public state: never a target, only names and numbers.
 * Names follow Prometheus' conventions: base units (seconds), absolute timestamps for expiries,
 * and one `chain_uptime_monitor_info` series per monitor carrying its descriptive labels (name,
 * chain, kind, operator, network), so every other series is keyed by `id` alone and a renamed
 * monitor does not start new series. Join them with `* on (id) group_left(name) …_info`.
 */
export function renderMetrics(input: MetricsInput): string {
  const out = new Exposition();
  const key = (m: PublicMonitor): Labels => ({ id: m.id });
  const ms = input.monitors;
  out.family(
    "chain_uptime_monitor_info",
    "Descriptive labels of each monitor; always 1",
    "gauge",
    ms.map((m) => [
      {
        id: m.id,
        name: m.name,
        chain: m.chain,
        kind: m.kind,
        operator: input.tags.get(m.id)?.operator ?? "",
        network: input.tags.get(m.id)?.network ?? "",
      },
      1,
    ]),
  );
  out.family(
    "chain_uptime_monitor_state",
    "1 for the monitor's current overall state, 0 for the others",
    "gauge",
    ms.flatMap((m) => STATES.map((s): [Labels, number] => [{ ...key(m), state: s }, m.state === s ? 1 : 0])),
  );
  out.family(
    "chain_uptime_monitor_up",
    "1 when the monitor is available (up or degraded), 0 when down; absent when unknown or in maintenance",
    "gauge",
    ms
      .filter((m) => m.state === "up" || m.state === "degraded" || m.state === "down")
      .map((m) => [key(m), m.state === "down" ? 0 : 1]),
  );
  const validators = ms.filter((m) => m.validator !== undefined);
  out.family(
    "chain_uptime_validator_info",
    "The key a validator monitor judges (casper-validator, nano-representative, chia-farmer); always 1",
    "gauge",
    validators.map((m) => [{ id: m.id, chain: m.chain, key: m.validator?.key ?? "" }, 1]),
  );
  out.family(
    "chain_uptime_validator_active",
    "1 when the key is active and doing its job as the network sees it (up), 0 when impaired or out (degraded, down); absent when unknown",
    "gauge",
    validators
      .filter((m) => m.state === "up" || m.state === "degraded" || m.state === "down")
      .map((m) => [key(m), m.state === "up" ? 1 : 0]),
  );
  out.family(
    "chain_uptime_probe_latency_seconds",
    "Latency of the last probe per region (vantage): time to the response head or to the connection",
    "gauge",
    ms.flatMap((m) =>
      m.vantages
        .filter((v) => v.latencyMs !== undefined)
        .map((v): [Labels, number] => [{ ...key(m), region: v.region }, (v.latencyMs as number) / 1000]),
    ),
  );
  out.family(
    "chain_uptime_height",
    "Block height (Nano: cemented count; Chia: peak height) seen by the last probe per region",
    "gauge",
    ms.flatMap((m) =>
      m.vantages
        .filter((v) => v.height !== undefined)
        .map((v): [Labels, number] => [{ ...key(m), region: v.region }, v.height as number]),
    ),
  );
  // Lag against the group's consensus (the lower median), as the verdicts measure it: never the maximum.
  const heights = new Map<string, number[]>();
  for (const m of ms) {
    const group = input.network.get(m.id) ?? m.chain;
    if (m.height !== undefined) heights.set(group, [...(heights.get(group) ?? []), m.height]);
  }
  const reference = new Map(
    [...heights].map(([group, hs]) => {
      const sorted = [...hs].sort((a, b) => a - b);
      return [group, sorted[Math.floor((sorted.length - 1) / 2)] as number];
    }),
  );
  out.family(
    "chain_uptime_height_lag_blocks",
    "Blocks behind the median height of the monitors of the same network (negative: ahead of it)",
    "gauge",
    ms
      .filter((m) => m.height !== undefined)
      .map((m) => [key(m), (reference.get(input.network.get(m.id) ?? m.chain) ?? 0) - (m.height as number)]),
  );
  out.family(
    "chain_uptime_cert_expiry_timestamp_seconds",
    "When the earliest certificate in the chain expires, Unix time (tls-cert monitors)",
    "gauge",
    ms
      .filter((m) => m.certExpiresAt !== undefined)
      .map((m) => [key(m), Date.parse(m.certExpiresAt as string) / 1000]),
  );
  out.family(
    "chain_uptime_availability_ratio",
    "Time-weighted availability (up + degraded) / (up + degraded + down) over the window; absent without data",
    "gauge",
    ms.flatMap((m) =>
      (["24h", "7d", "30d"] as const)
        .filter((w) => m.uptime[w] !== null)
        .map((w): [Labels, number] => [{ ...key(m), window: w }, m.uptime[w] as number]),
    ),
  );
  out.family("chain_uptime_monitoring_degraded", "1 when the checker itself has a problem", "gauge", [
    [{}, input.monitoringDegraded ? 1 : 0],
  ]);
  return out.text();
}

metricsRoutes.get("/metrics", async (c) => {
  const out = await publicBody(
    c.env,
    "metrics",
    (view) => {
      const config = loadConfig(c.env);
      return renderMetrics({
        monitors: view.monitors,
        network: new Map(config.monitors.map((m) => [m.id, `${m.chain}/${m.tags.network ?? ""}`])),
        tags: new Map(config.monitors.map((m) => [m.id, m.tags])),
        monitoringDegraded: presentHealth(view.snapshot.monitoring).state === "degraded",
      });
    },
    deferOf(c),
  );
  return c.body(out.body, 200, {
    "content-type": "text/plain; version=0.0.4; charset=utf-8",
    ...out.headers,
  });
});
