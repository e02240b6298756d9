import type { StatusResponse } from "../core/public.ts";

/** A terminal table of the status API, for `npm start -- --for N`. */
export async function printStatus(base: string): Promise<StatusResponse> {
  const status = (await (await fetch(`${base}/api/v1/status`)).json()) as StatusResponse;
  console.log(`\nstatus at ${status.generatedAt}`);
  for (const m of status.monitors) {
    const where = m.vantages.map((v) => `${v.region}:${v.state}`).join(" ");
    console.log(`  ${m.id.padEnd(16)} ${m.state.padEnd(11)} ${where.padEnd(28)} ${m.reasons.join("; ")}`);
  }
  return status;
}

interface Summary {
  fleet: { monitors: number; regions: number; intervalSec: number };
  totalUsd: number;
}
interface UsageCost {
  pricesAsOf: string;
  profile: { source: string; why: string; doRequestsPerProbe: number; rowsWrittenPerProbe: number };
  thisDeployment: Summary;
  monitors1000x3x30s: Summary;
  monitors10000x3x30s: Summary;
}

/** Probes, probe rate and storage writes since the objects started, and the projected bill. */
export async function printUsage(base: string): Promise<void> {
  const u = (await (await fetch(`${base}/api/v1/usage`)).json()) as Record<string, unknown>;
  const { projectedMonthlyCost, ...counts } = u;
  console.log("\nusage since start");
  for (const [k, v] of Object.entries(counts)) console.log(`  ${k.padEnd(22)} ${JSON.stringify(v)}`);
  const cost = projectedMonthlyCost as UsageCost;
  const fleet = (s: Summary) =>
    `${s.fleet.monitors.toLocaleString("en")} monitors × ${+s.fleet.regions.toFixed(2)} regions × ${+s.fleet.intervalSec.toFixed(1)} s`;
  const p = cost.profile;
  console.log(`\nprojected monthly bill (Workers Paid, prices as of ${cost.pricesAsOf})`);
  console.log(
    `  profile: ${p.source} — ${p.doRequestsPerProbe.toFixed(3)} DO requests and ${p.rowsWrittenPerProbe.toFixed(3)} rows per probe; ${p.why}`,
  );
  for (const s of [cost.thisDeployment, cost.monitors1000x3x30s, cost.monitors10000x3x30s]) {
    console.log(`  ${fleet(s).padEnd(42)} $${s.totalUsd.toFixed(2)}`);
  }
}
