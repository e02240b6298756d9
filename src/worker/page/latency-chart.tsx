/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";

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

const WIDTH = 900;
const HEIGHT = 120;
const PAD = 4;

/** Inline SVG: one polyline per region (vantage) over [from, to); no script, no external resources. */
export const LatencyChart: FC<{ points: readonly LatencyPoint[]; from: number; to: number }> = ({
  points,
  from,
  to,
}) => {
  const live = points.filter((p) => p.state !== "unknown" && Number.isFinite(p.latencyMs));
  if (live.length === 0) return <p class="muted">No latency data in the last 24 hours.</p>;
  const byRegion = new Map<string, LatencyPoint[]>();
  for (const p of live) byRegion.set(p.vantage, [...(byRegion.get(p.vantage) ?? []), p]);
  const max = Math.max(1, ...live.map((p) => p.latencyMs));
  const x = (t: number) => (PAD + ((t - from) / (to - from)) * (WIDTH - 2 * PAD)).toFixed(1);
  const y = (ms: number) => (HEIGHT - PAD - (ms / max) * (HEIGHT - 2 * PAD)).toFixed(1);
  const regions = [...byRegion.keys()].sort();
  const color = (i: number) => PALETTE[i % PALETTE.length] ?? "#4b5563";
  return (
    <>
      <svg
        class="latency"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        height={HEIGHT}
        role="img"
        aria-label={`Latency per region, last 24 hours, max ${Math.round(max)} ms`}
      >
        <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} stroke="#8b949e" />
        <text x={PAD + 2} y="12" font-size="10" fill="currentColor">
          {`${Math.round(max)} ms`}
        </text>
        <text x={PAD + 2} y={HEIGHT - PAD - 3} font-size="10" fill="currentColor">
          24 h ago
        </text>
        <text x={WIDTH - PAD - 2} y={HEIGHT - PAD - 3} font-size="10" fill="currentColor" text-anchor="end">
          now
        </text>
        {regions.map((region, i) => {
          const list = byRegion.get(region) ?? [];
          const last = list.at(-1) as LatencyPoint;
          return (
            <>
              <polyline
                fill="none"
                stroke={color(i)}
                stroke-width="1.5"
                points={list.map((p) => `${x(p.at)},${y(p.latencyMs)}`).join(" ")}
              >
                <title>{region}</title>
              </polyline>
              <circle cx={x(last.at)} cy={y(last.latencyMs)} r="3" fill={color(i)}>
                <title>{`${region}: ${Math.round(last.latencyMs)} ms`}</title>
              </circle>
            </>
          );
        })}
      </svg>
      <div class="legends">
        {regions.map((r, i) => (
          <span class="legend">
            <i style={`background:${color(i)}`} />
            {r}{" "}
          </span>
        ))}
      </div>
    </>
  );
};
