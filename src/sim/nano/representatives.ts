import { createHash } from "node:crypto";
import { FaultSpecError } from "../faults.ts";

/** Nano's base32 alphabet for account strings. */
const ALPHABET = "13456789abcdefghijkmnopqrstuwxyz";
/** 1 Nano in raw. */
export const RAW_PER_NANO = 10n ** 30n;

/** An account-shaped string (`nano_` + 60 characters) derived from a seed; checksums are not real. */
export function simNanoAccount(seed: string): string {
  const digest = createHash("sha512").update(`nano-account:${seed}`).digest();
  let body = "1";
  for (let i = 0; i < 59; i++) body += ALPHABET[(digest[i % digest.length] ?? 0) % 32];
  return `nano_${body}`;
}

interface Representative {
  account: string;
  weightRaw: bigint;
  online: boolean;
}

/**
 * One simulated Nano network's representatives, shared by its nodes: who votes (so is in every
 * node's `representatives_online`), and each one's delegated weight (`account_weight`). The
 * control API drops one (`{"online": false}`) or changes its weight (`{"weightNano": …}`).
 */
export class NanoRepresentatives {
  private readonly reps = new Map<string, Representative>();

  constructor(network: string) {
    // A few large representatives like the live network's top ones (millions of Nano).
    for (let i = 0; i < 8; i++) {
      const account = simNanoAccount(`${network}:principal:${i}`);
      this.reps.set(account, {
        account,
        weightRaw: BigInt(2_000_000 + i * 500_000) * RAW_PER_NANO,
        online: true,
      });
    }
  }

  join(account: string, weightNano: number, online = true): void {
    if (!this.reps.has(account))
      this.reps.set(account, { account, weightRaw: BigInt(weightNano) * RAW_PER_NANO, online });
  }

  has(account: string): boolean {
    return this.reps.has(normal(account));
  }

  online(): Representative[] {
    return [...this.reps.values()].filter((r) => r.online);
  }

  weightOf(account: string): bigint {
    return this.reps.get(normal(account))?.weightRaw ?? 0n;
  }

  apply(account: string, body: unknown): { account: string; online: boolean; weightNano: string } {
    const rep = this.reps.get(normal(account));
    if (!rep) throw new FaultSpecError(`account: unknown representative ${account}`);
    const b = (body ?? {}) as { online?: unknown; weightNano?: unknown };
    if (b.online !== undefined && typeof b.online !== "boolean")
      throw new FaultSpecError(`online: expected true or false, got ${JSON.stringify(b.online)}`);
    if (
      b.weightNano !== undefined &&
      (typeof b.weightNano !== "number" || !Number.isSafeInteger(b.weightNano) || b.weightNano < 0)
    )
      throw new FaultSpecError(
        `weightNano: expected a whole number >= 0, got ${JSON.stringify(b.weightNano)}`,
      );
    if (typeof b.online === "boolean") rep.online = b.online;
    if (typeof b.weightNano === "number") rep.weightRaw = BigInt(b.weightNano) * RAW_PER_NANO;
    return {
      account: rep.account,
      online: rep.online,
      weightNano: (rep.weightRaw / RAW_PER_NANO).toString(),
    };
  }
}

const normal = (account: string) => account.replace(/^xrb_/, "nano_");

const SETS = new Map<string, NanoRepresentatives>();

export function representativesOf(network: string, t0: number): NanoRepresentatives {
  const id = `${network}@${t0}`;
  let set = SETS.get(id);
  if (!set) {
    set = new NanoRepresentatives(network);
    SETS.set(id, set);
  }
  return set;
}
