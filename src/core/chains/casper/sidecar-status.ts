import type { Reason } from "../../verdict.ts";

/**
 * The Casper event sidecar's `node_statuses` gauge (casper-sidecar metrics/src/sse.rs; reference/
 * CHAINS.md A.7): how its connection to its node stands. 2 is the only healthy value; 0, 1 and 3
 * are a connection under way (degraded); -1 and -2 mean the sidecar has given up (down), and so
 * does any value the sidecar does not document.
 */
const MEANINGS: Record<string, { code: string; severity: "warn" | "critical"; text: string }> = {
  "0": { code: "sidecar_connecting", severity: "warn", text: "sidecar is preparing its node connection" },
  "1": { code: "sidecar_connecting", severity: "warn", text: "sidecar is connecting to its node" },
  "3": { code: "sidecar_reconnecting", severity: "warn", text: "sidecar is reconnecting to its node" },
  "-1": {
    code: "sidecar_gave_up",
    severity: "critical",
    text: "sidecar gave up on its node: connection attempts exhausted",
  },
  "-2": {
    code: "sidecar_incompatible",
    severity: "critical",
    text: "sidecar's node runs an incompatible version",
  },
};

export const SIDECAR_CONNECTED = 2;

/** 0 healthy, 1 degraded, 2 down: for picking the worst of several node_statuses series. */
export function sidecarStatusRank(status: number): number {
  if (status === SIDECAR_CONNECTED) return 0;
  return MEANINGS[String(status)]?.severity === "warn" ? 1 : 2;
}

/** The reason a node_statuses value gives, or undefined for 2 (connected). */
export function sidecarStatusReason(status: number): Reason | undefined {
  if (status === SIDECAR_CONNECTED) return undefined;
  const known = MEANINGS[String(status)];
  if (known)
    return { code: known.code, severity: known.severity, message: `${known.text} (node_statuses ${status})` };
  return {
    code: "sidecar_status_unknown",
    severity: "critical",
    message: `sidecar reports an undocumented node status (node_statuses ${status})`,
  };
}
