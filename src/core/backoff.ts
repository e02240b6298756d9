/**
 * Exponential backoff with jitter, for every retry loop (agent reports, alert deliveries): step 0
 * waits about `baseMs`, each step doubles it up to `maxMs`, and a ±25 % jitter keeps many clients
 * from retrying in step.
 */
export function backoffMs(step: number, baseMs: number, maxMs: number, random = Math.random): number {
  const base = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, step), 30));
  return Math.round(Math.min(maxMs, base * (0.75 + 0.5 * random())));
}
