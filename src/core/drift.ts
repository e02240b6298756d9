import type { ChainRules } from "./config/rules.ts";
import type { Reason } from "./verdict.ts";

/**
 * Version drift: a node on another version than expected (configured, or what most of its
 * network runs) is about to fall off the network at the next upgrade, or has jumped early.
 */
export function versionDriftReason(
  version: string | undefined,
  rules: Pick<ChainRules, "expectVersion" | "versionDrift">,
  networkVersion: string | undefined,
): Reason | undefined {
  if (rules.versionDrift === "off" || version === undefined) return undefined;
  const expected = rules.expectVersion ?? networkVersion;
  if (expected === undefined || version === expected) return undefined;
  const source = rules.expectVersion ? "configured" : "most of its network";
  return {
    code: "version_drift",
    severity: rules.versionDrift === "degraded" ? "warn" : "info",
    message: `runs version ${version}, expected ${expected} (${source})`,
  };
}
