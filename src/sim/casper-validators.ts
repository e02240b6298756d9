import { BLOCKS_PER_ERA, sha256Hex } from "./casper-chain.ts";
import { FaultSpecError } from "./faults.ts";

/**
 * What a simulated validator does, set at run time through the control API:
 * - `active`: in this era's and the next era's set, proposing its share of blocks;
 * - `silent`: in the set, its node answers, but it proposes nothing (the case no port check sees);
 * - `cannot-propose`, `faulty`, `banned`, `removed`: the node reports `CannotPropose`,
 *   `SeenAsFaulty`, `Banned`, `Removed` in its validator changes, and it proposes nothing;
 *   `faulty` also emits a `Fault` event, `banned` and `removed` take it out of the set;
 * - `evicting`: still in this era's set and proposing, but absent from the next era's (its bid
 *   was withdrawn or outbid): an eviction announced before it happens.
 */
export const VALIDATOR_STATUSES = [
  "active",
  "silent",
  "cannot-propose",
  "faulty",
  "banned",
  "removed",
  "evicting",
] as const;
export type ValidatorStatus = (typeof VALIDATOR_STATUSES)[number];

const CHANGE_NAME: Partial<Record<ValidatorStatus, string>> = {
  "cannot-propose": "CannotPropose",
  faulty: "SeenAsFaulty",
  banned: "Banned",
  removed: "Removed",
};

const PRODUCING = new Set<ValidatorStatus>(["active", "evicting"]);
/** Statuses that keep a validator out of the next era's set. */
const LEAVING = new Set<ValidatorStatus>(["banned", "removed", "evicting", "faulty"]);

/** Bids in the auction, for sizing answers like mainnet's (hundreds of validators, thousands of delegators). */
export interface AuctionSize {
  /** Validators besides the nodes of the network (default 5). */
  validators: number;
  /** Delegators spread over all bids (default 0). */
  delegators: number;
}

interface Member {
  key: string;
  weight: bigint;
  /** Status changes, oldest first, each from the network height it happened at. */
  history: { height: number; status: ValidatorStatus }[];
}

export interface FaultEvent {
  era_id: number;
  public_key: string;
  timestamp: string;
}

export interface StatusChange {
  era_id: number;
  validator_change: string;
}

/** A hex public key as Casper writes it: "01" + 32-byte ed25519 key. */
export const simValidatorKey = (seed: string): string => `01${sha256Hex(`validator-key:${seed}`)}`;

const BASE_WEIGHT = 1_000_000_000_000_000n;

/**
 * One simulated network's validators: who is in which era's set, with what weight, who proposed
 * each block, and the status changes nodes report. Every node of the network sees the same set, so
 * it lives per network, keyed by chain name and fleet start.
 */
export class CasperValidatorSet {
  private readonly members = new Map<string, Member>();
  private readonly synthetic = new Set<string>();
  private size: AuctionSize = { validators: 5, delegators: 0 };

  private readonly chainName: string;

  constructor(chainName: string) {
    this.chainName = chainName;
    this.resize(this.size);
  }

  /** Replaces the synthetic validators (the network's own nodes stay). */
  resize(size: AuctionSize): void {
    for (const key of this.synthetic) this.members.delete(key);
    this.synthetic.clear();
    this.size = size;
    for (let i = 0; i < size.validators; i++) {
      const key = simValidatorKey(`${this.chainName}:${i}`);
      this.synthetic.add(key);
      this.members.set(key, {
        key,
        weight: BASE_WEIGHT * BigInt(1 + (i % 7)),
        history: [{ height: -1, status: "active" }],
      });
    }
  }

  /** The network's height now (from the first node's chain: all of them agree). */
  heightNow: () => number = () => 0;

  /** The control API's `PUT /validators/{key}` body: `{"status": …}`, from the network's height now. */
  apply(key: string, body: unknown): { key: string; status: ValidatorStatus; height: number } {
    const status = (body as { status?: unknown } | null)?.status;
    if (!VALIDATOR_STATUSES.includes(status as ValidatorStatus))
      throw new FaultSpecError(
        `status: expected one of ${VALIDATOR_STATUSES.join(", ")}, got ${JSON.stringify(status)}`,
      );
    const height = this.heightNow();
    this.set(key, status as ValidatorStatus, height);
    return { key, status: status as ValidatorStatus, height };
  }

  /** A node of the network running `key`: a validator from the start, `units` of stake. */
  join(key: string, units = 4, status: ValidatorStatus = "active"): void {
    if (!this.members.has(key))
      this.members.set(key, { key, weight: BASE_WEIGHT * BigInt(units), history: [{ height: -1, status }] });
  }

  has(key: string): boolean {
    return this.members.has(key);
  }

  set(key: string, status: ValidatorStatus, atHeight: number): void {
    const m = this.members.get(key);
    if (!m) throw new Error(`unknown validator ${key}`);
    m.history.push({ height: atHeight, status });
  }

  statusAt(key: string, height: number): ValidatorStatus | undefined {
    const m = this.members.get(key);
    if (!m) return undefined;
    let status: ValidatorStatus = "active";
    for (const h of m.history) if (h.height <= height) status = h.status;
    return status;
  }

  /**
   * The era's validator set as `state_get_auction_info` lists it. The current era's set was fixed
   * at the previous era's last block; the next era's follows the statuses as they are now (on a
   * real network it is fixed an era ahead too: the simulation lets an eviction show at once).
   */
  eraWeights(era: number, currentHeight: number): { public_key: string; weight: string }[] {
    const current = Math.floor(currentHeight / BLOCKS_PER_ERA);
    const fixedAt = era > current ? currentHeight : era * BLOCKS_PER_ERA - 1;
    const out: { public_key: string; weight: string }[] = [];
    for (const m of this.members.values()) {
      if (LEAVING.has(this.statusAt(m.key, fixedAt) ?? "active")) continue;
      out.push({ public_key: m.key, weight: m.weight.toString() });
    }
    return out;
  }

  /** Whether `key` is in `era`'s set (as `eraWeights` lists it). */
  inEra(key: string, era: number, currentHeight: number): boolean {
    return this.eraWeights(era, currentHeight).some((w) => w.public_key === key);
  }

  /** Who proposed `height`: a pick weighted by stake among the validators producing then. */
  proposer(height: number): string {
    const producing = [...this.members.values()].filter((m) =>
      PRODUCING.has(this.statusAt(m.key, height) ?? "active"),
    );
    const total = producing.reduce((sum, m) => sum + m.weight, 0n);
    if (total === 0n) return [...this.members.keys()][0] ?? simValidatorKey(this.chainName);
    let ticket = BigInt(`0x${sha256Hex(`${this.chainName}:proposer:${height}`).slice(0, 15)}`) % total;
    for (const m of producing) {
      if (ticket < m.weight) return m.key;
      ticket -= m.weight;
    }
    return producing[0]?.key ?? "";
  }

  /** `info_get_validator_changes` / REST `/validator-changes`: every named change, by era. */
  changes(currentHeight: number): { public_key: string; status_changes: StatusChange[] }[] {
    const out: { public_key: string; status_changes: StatusChange[] }[] = [];
    for (const m of this.members.values()) {
      const status_changes: StatusChange[] = [];
      let previous: ValidatorStatus = "active";
      for (const h of m.history) {
        if (h.height < 0 || h.height > currentHeight) continue;
        const era_id = Math.floor(h.height / BLOCKS_PER_ERA);
        const named = CHANGE_NAME[h.status];
        if (named) status_changes.push({ era_id, validator_change: named });
        else if (h.status === "active" && (previous === "removed" || previous === "banned"))
          status_changes.push({ era_id, validator_change: "Added" });
        previous = h.status;
      }
      if (status_changes.length > 0) out.push({ public_key: m.key, status_changes });
    }
    return out;
  }

  /**
   * The `Fault` events the network emitted for `key` (one when it turned faulty), as the event
   * sidecar stores them from the SSE stream and serves them at `/faults/<key>`.
   */
  faults(key: string, currentHeight: number, timeOf: (height: number) => number): FaultEvent[] {
    const m = this.members.get(key.toLowerCase());
    if (!m) return [];
    return m.history
      .filter((h) => h.status === "faulty" && h.height >= 0 && h.height <= currentHeight)
      .map((h) => ({
        era_id: Math.floor(h.height / BLOCKS_PER_ERA),
        public_key: m.key,
        timestamp: new Date(timeOf(h.height)).toISOString(),
      }));
  }

  /** Bids with their delegators, sized like the network's auction (the bulk of a mainnet answer). */
  bids(v2: boolean): unknown[] {
    const members = [...this.members.values()];
    const perBid = Math.floor(this.size.delegators / Math.max(1, members.length));
    const extra = this.size.delegators % Math.max(1, members.length);
    const purse = (seed: string) => `uref-${sha256Hex(`purse:${seed}`)}-007`;
    const out: unknown[] = [];
    members.forEach((m, i) => {
      const delegators = Array.from({ length: perBid + (i < extra ? 1 : 0) }, (_, d) => {
        const key = simValidatorKey(`${m.key}:delegator:${d}`);
        return { key, staked_amount: String(1_000_000_000_000n + BigInt(d)), bonding_purse: purse(key) };
      });
      if (v2) {
        out.push({
          public_key: m.key,
          bid: {
            Validator: {
              validator_public_key: m.key,
              bonding_purse: purse(m.key),
              staked_amount: m.weight.toString(),
              delegation_rate: 10,
              vesting_schedule: null,
              inactive: false,
              minimum_delegation_amount: 500_000_000_000,
              maximum_delegation_amount: 1_000_000_000_000_000_000,
              reserved_slots: 0,
            },
          },
        });
        for (const d of delegators)
          out.push({
            public_key: m.key,
            bid: {
              Delegator: {
                delegator_kind: { PublicKey: d.key },
                staked_amount: d.staked_amount,
                bonding_purse: d.bonding_purse,
                validator_public_key: m.key,
                vesting_schedule: null,
              },
            },
          });
        return;
      }
      out.push({
        public_key: m.key,
        bid: {
          bonding_purse: purse(m.key),
          staked_amount: m.weight.toString(),
          delegation_rate: 10,
          delegators: delegators.map((d) => ({
            public_key: d.key,
            staked_amount: d.staked_amount,
            bonding_purse: d.bonding_purse,
            delegatee: m.key,
          })),
          inactive: false,
        },
      });
    });
    return out;
  }
}

const SETS = new Map<string, CasperValidatorSet>();

/** The validator set of one simulated network (chain name, fleet start). */
export function validatorSetOf(chainName: string, t0: number): CasperValidatorSet {
  const id = `${chainName}@${t0}`;
  let set = SETS.get(id);
  if (!set) {
    set = new CasperValidatorSet(chainName);
    SETS.set(id, set);
  }
  return set;
}
