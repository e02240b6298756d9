/** An agent reports as vantage `agent:<id>`, beside the regions (weur, enam, …). */
export const AGENT_VANTAGE_PREFIX = "agent:";

export function agentVantage(agentId: string): string {
  return `${AGENT_VANTAGE_PREFIX}${agentId}`;
}

/** The agent id of an agent vantage, or undefined for a region. */
export function agentIdOfVantage(vantage: string): string | undefined {
  return vantage.startsWith(AGENT_VANTAGE_PREFIX) ? vantage.slice(AGENT_VANTAGE_PREFIX.length) : undefined;
}

/** A push monitor's one vantage: whatever calls its push URL. */
export const PUSH_VANTAGE = "push";

/** Every vantage a monitor expects results from: its regions, then its agents; a push monitor's caller. */
export function monitorVantages(m: {
  regions: readonly string[];
  agents?: readonly string[];
  check?: { kind: string };
}): string[] {
  if (m.check?.kind === "push") return [PUSH_VANTAGE];
  return [...m.regions, ...(m.agents ?? []).map(agentVantage)];
}
