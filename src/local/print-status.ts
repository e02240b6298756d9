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

/** Probes, probe rate and storage writes since the objects started. */
export async function printUsage(base: string): Promise<void> {
  const u = (await (await fetch(`${base}/api/v1/usage`)).json()) as Record<string, unknown>;
  console.log("\nusage since start");
  for (const [k, v] of Object.entries(u)) console.log(`  ${k.padEnd(22)} ${JSON.stringify(v)}`);
}
