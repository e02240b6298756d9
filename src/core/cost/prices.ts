/**
 * Cloudflare's published unit prices for the Workers Paid plan, as a dated table. Update the
 * date and the figures together when Cloudflare changes them; the projection reads nothing else.
 *
 * Sources, read 2026-11-21:
 * - Workers: https://developers.cloudflare.com/workers/platform/pricing/ (Standard usage model:
 *   $5/month, 10 M requests + $0.30/M, 30 M CPU ms + $0.02/M CPU ms; the same table is repeated on
 *   https://developers.cloudflare.com/workflows/reference/pricing/).
 * - Durable Objects: https://developers.cloudflare.com/durable-objects/platform/pricing/ (requests
 *   1 M + $0.15/M, counting RPC sessions and alarm invocations; duration 400,000 GB-s +
 *   $12.50/M GB-s at 128 MB per object; SQLite storage: rows read 25 billion + $0.001/M, rows
 *   written 50 M + $1.00/M, stored data 5 GB-month + $0.20/GB-month, billed since 2026-01-07).
 * - Workers KV: https://developers.cloudflare.com/kv/platform/pricing/ (reads 10 M + $0.50/M,
 *   writes 1 M + $5.00/M, storage 1 GB + $0.50/GB-month).
 */
export const PRICES_AS_OF = "2026-11-21";

export interface UnitPrice {
  /** What is counted, in the unit the price is quoted for. */
  unit: string;
  /** Included per month in the Workers Paid plan. */
  included: number;
  /** USD per `per` units above the included amount. */
  usd: number;
  per: number;
}

export const WORKERS_PAID_BASE_USD = 5;

/** Memory a Durable Object is billed for, whatever it uses. */
export const DO_BILLED_GB = 0.128;

export const PRICES = {
  workerRequests: { unit: "requests", included: 10_000_000, usd: 0.3, per: 1_000_000 },
  workerCpuMs: { unit: "CPU ms", included: 30_000_000, usd: 0.02, per: 1_000_000 },
  doRequests: { unit: "requests", included: 1_000_000, usd: 0.15, per: 1_000_000 },
  doDurationGbSec: { unit: "GB-s", included: 400_000, usd: 12.5, per: 1_000_000 },
  doRowsRead: { unit: "rows", included: 25_000_000_000, usd: 0.001, per: 1_000_000 },
  doRowsWritten: { unit: "rows", included: 50_000_000, usd: 1, per: 1_000_000 },
  doStorageGbMonth: { unit: "GB-month", included: 5, usd: 0.2, per: 1 },
  kvReads: { unit: "reads", included: 10_000_000, usd: 0.5, per: 1_000_000 },
  kvWrites: { unit: "writes", included: 1_000_000, usd: 5, per: 1_000_000 },
} as const satisfies Record<string, UnitPrice>;

export type PricedItem = keyof typeof PRICES;
