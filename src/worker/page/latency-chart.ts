import { esc } from "./html.ts";

export interface LatencyPoint {
  at: number;
  vantage: string;
  latencyMs: number;
  state: string;
}

const PALETTE = [
  "#2563eb",
  "#db2777",
  "#059669",
  "#d97706",
  "#7c3aed",
  "#0891b2",
  "#dc2626",
  "#4b5563",
  "#65a30d",
];

/** Inline SVG: one polyline per region (vantage) over [from, to); no script, no external resources. */
export function latencySvg(
  points: readonly LatencyPoint[],
  from: number,
  to: number,
  width = 900,
  height = 120,
): string {
  const live = points.filter((p) => p.state !== "unknown" && Number.isFinite(p.latencyMs));
  if (live.length === 0) return `<p class="muted">No latency data in the last 24 hours.</p>`;
  const byRegion = new Map<string, LatencyPoint[]>();
  for (const p of live) byRegion.set(p.vantage, [...(byRegion.get(p.vantage) ?? []), p]);
  const max = Math.max(1, ...live.map((p) => p.latencyMs));
  const pad = 4;
  const x = (t: number) => pad + ((t - from) / (to - from)) * (width - 2 * pad);
  const y = (ms: number) => height - pad - (ms / max) * (height - 2 * pad);
  const regions = [...byRegion.keys()].sort();
  const lines = regions.map((region, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = (byRegion.get(region) ?? []).map((p) => `${x(p.at).toFixed(1)},${y(p.latencyMs).toFixed(1)}`);
    const last = byRegion.get(region)?.at(-1) as LatencyPoint;
    const dot = `<circle cx="${x(last.at).toFixed(1)}" cy="${y(last.latencyMs).toFixed(1)}" r="3" fill="${color}"><title>${esc(`${region}: ${Math.round(last.latencyMs)} ms`)}</title></circle>`;
    return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(" ")}"><title>${esc(region)}</title></polyline>${dot}`;
  });
  const legend = regions
    .map(
      (r, i) =>
        `<span class="legend"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(r)}</span>`,
    )
    .join(" ");
  return `<svg class="latency" viewBox="0 0 ${width} ${height}" width="100%" height="${height}" role="img" aria-label="Latency per region, last 24 hours, max ${Math.round(max)} ms">
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#ccc"/>
<text x="${pad + 2}" y="12" font-size="10" fill="#666">${Math.round(max)} ms</text>
<text x="${pad + 2}" y="${height - pad - 3}" font-size="10" fill="#666">24 h ago</text>
<text x="${width - pad - 2}" y="${height - pad - 3}" font-size="10" fill="#666" text-anchor="end">now</text>
${lines.join("\n")}
</svg><div class="legends">${legend}</div>`;
}
