/**
 * The demo's push monitors need someone to call them: two simulated jobs. The reward-claim script
 * reports every 20 s (its monitor expects 30 s); the key backup reports once and then stops, so
 * its monitor goes down with "no heartbeat" about 40 s later.
 */
export const DEMO_PUSH_TOKENS = {
  REWARD_CLAIM_PUSH_TOKEN: "demo-reward-claim-3f9a1c7e52",
  KEY_BACKUP_PUSH_TOKEN: "demo-key-backup-8b2d4e6f19",
} as const;

const EVERY_MS = 20_000;

export function startDemoJobs(base: string): { stop(): void } {
  const push = (token: string, query: string) =>
    fetch(`${base}/api/v1/push/${token}?${query}`, { method: "POST", signal: AbortSignal.timeout(5_000) })
      .then((r) => r.body?.cancel())
      .catch((e: unknown) => console.error(`demo job: push failed: ${(e as Error).message}`));
  const claim = () =>
    push(DEMO_PUSH_TOKENS.REWARD_CLAIM_PUSH_TOKEN, `durationMs=${800 + Math.round(Math.random() * 400)}`);
  void claim();
  void push(DEMO_PUSH_TOKENS.KEY_BACKUP_PUSH_TOKEN, "durationMs=5200");
  const timer = setInterval(claim, EVERY_MS);
  return { stop: () => clearInterval(timer) };
}
