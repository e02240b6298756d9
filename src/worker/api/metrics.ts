import { Hono } from "hono";
import type { PublicMonitor } from "../../core/public.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { presentHealth, presentMonitor } from "./present.ts";
import { publicNow } from "./public-cache.ts";
import { readSnapshot } from "./snapshot-source.ts";

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
  monitoringDegraded: boolean;
  /** The time days-left figures are computed at. */
  now: number;
}

/** Prometheus text exposition (0.0.4) of the public state: never a target, only names and numbers. */
export function renderMetrics(input: MetricsInput): string {
  const out = new Exposition();
  const base = (m: PublicMonitor): Labels => ({ id: m.id, name: m.name, chain: m.chain });
  const ms = input.monitors;
  out.family(
    "chain_uptime_monitor_state",
    "1 for the monitor's current overall state, 0 for the others",
    "gauge",
    ms.flatMap((m) => STATES.map((s): [Labels, number] => [{ ...base(m), state: s }, m.state === s ? 1 : 0])),
  );
  out.family(
    "chain_uptime_monitor_up",
    "1 when the monitor is available (up or degraded), 0 when down; absent when unknown or in maintenance",
    "gauge",
    ms
      .filter((m) => m.state === "up" || m.state === "degraded" || m.state === "down")
      .map((m) => [base(m), m.state === "down" ? 0 : 1]),
  );
  out.family(
    "chain_uptime_latency_ms",
    "Latency of the last probe per region (vantage), milliseconds",
    "gauge",
    ms.flatMap((m) =>
      m.vantages
        .filter((v) => v.latencyMs !== undefined)
        .map((v): [Labels, number] => [{ ...base(m), region: v.region }, v.latencyMs as number]),
    ),
  );
  out.family(
    "chain_uptime_height",
    "Block height (or cemented count) seen by the last probe per region",
    "gauge",
    ms.flatMap((m) =>
      m.vantages
        .filter((v) => v.height !== undefined)
        .map((v): [Labels, number] => [{ ...base(m), region: v.region }, v.height as number]),
    ),
  );
  const best = new Map<string, number>();
  for (const m of ms) {
    const key = input.network.get(m.id) ?? m.chain;
    if (m.height !== undefined) best.set(key, Math.max(best.get(key) ?? 0, m.height));
  }
  out.family(
    "chain_uptime_height_lag_blocks",
    "Blocks behind the highest height among monitors of the same network",
    "gauge",
    ms
      .filter((m) => m.height !== undefined)
      .map((m) => [base(m), (best.get(input.network.get(m.id) ?? m.chain) ?? 0) - (m.height as number)]),
  );
  out.family(
    "chain_uptime_cert_days_left",
    "Days until the earliest certificate in the chain expires (tls-cert monitors; negative once expired)",
    "gauge",
    ms
      .filter((m) => m.certExpiresAt !== undefined)
      .map((m) => [
        base(m),
        Math.round(((Date.parse(m.certExpiresAt as string) - input.now) / 86_400_000) * 100) / 100,
      ]),
  );
  out.family(
    "chain_uptime_availability_ratio",
    "Time-weighted availability (up + degraded) / (up + degraded + down) over the window; absent without data",
    "gauge",
    ms.flatMap((m) =>
      (["24h", "7d", "30d"] as const)
        .filter((w) => m.uptime[w] !== null)
        .map((w): [Labels, number] => [{ ...base(m), window: w }, m.uptime[w] as number]),
    ),
  );
  out.family("chain_uptime_monitoring_degraded", "1 when the checker itself has a problem", "gauge", [
    [{}, input.monitoringDegraded ? 1 : 0],
  ]);
  return out.text();
}

metricsRoutes.get("/metrics", async (c) => {
  const config = loadConfig(c.env);
  const snapshot = await readSnapshot(c.env);
  const views = new Map(snapshot.monitors.map((v) => [v.id, v]));
  const now = publicNow(snapshot.generatedAt);
  const text = renderMetrics({
    monitors: config.monitors.map((m) => presentMonitor(m, views.get(m.id), snapshot.timelines[m.id], now)),
    network: new Map(config.monitors.map((m) => [m.id, `${m.chain}/${m.tags.network ?? ""}`])),
    monitoringDegraded: presentHealth(snapshot.monitoring).state === "degraded",
    now,
  });
  return c.body(text, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
});
