/**
 * P(X ≤ k) for X ~ Poisson(mean): how likely a validator with this expected share of blocks
 * proposes k or fewer by chance. Proposer selection is a weighted draw per block, so the count
 * over many blocks is close to Poisson; judging by this tail keeps a small validator's ordinary
 * dry spell from reading as a fault.
 */
export function poissonAtMost(k: number, mean: number): number {
  if (mean <= 0) return 1;
  let term = Math.exp(-mean);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= mean / i;
    sum += term;
  }
  return Math.min(1, sum);
}
