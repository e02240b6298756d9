import { createHash } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { FaultSpecError } from "../faults.ts";

/**
 * What can go wrong with a simulated farmer:
 * - `no-full-node`: it lost its full node, so no new signage points arrive;
 * - `harvester-lost`: its second harvester disconnected;
 * - `plots-lost`: the first harvester lost half its plots, three plot files fail to open;
 * - `pool-errors`: the pool acknowledges none of its points and answers with errors.
 */
export const FARMER_FAULTS = [
  "healthy",
  "no-full-node",
  "harvester-lost",
  "plots-lost",
  "pool-errors",
] as const;
export type FarmerFault = (typeof FARMER_FAULTS)[number];

export interface SimFarmerOptions {
  /** PEM: the private CA, and the farmer's server certificate and key signed by it. */
  tls: { ca: string; cert: string; key: string };
  host?: string;
  port?: number;
  /** A new signage point every this long (mainnet: 600 s / 64 ≈ 9.4 s). */
  signagePointMs?: number;
  /** Plots per harvester (two harvesters). */
  plotsPerHarvester?: number;
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * A Chia farmer's RPC (8559) over mutual TLS (the client must present a certificate from the same
 * private CA, as the real farmer requires): `get_signage_points`, `get_harvesters_summary`,
 * `get_pool_state`, `healthz`, answered in the farmer RPC's shapes, with faults switched at run time.
 */
export class SimChiaFarmer {
  private readonly server: Server;
  private fault: FarmerFault = "healthy";
  private readonly startedAt = Date.now();
  private frozenAt: number | undefined;
  private readonly spMs: number;
  private readonly plots: number;
  private readonly requestedPort: number;
  private readonly host: string;
  /** Answers sent, and their bytes (what a probe costs the farmer). */
  readonly served = { requests: 0, bytes: 0 };

  constructor(options: SimFarmerOptions) {
    this.spMs = options.signagePointMs ?? 9375;
    this.plots = options.plotsPerHarvester ?? 120;
    this.host = options.host ?? "127.0.0.1";
    this.requestedPort = options.port ?? 0;
    this.server = createServer(
      { ...options.tls, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
          const answer = req.method === "POST" ? this.answer(req.url ?? "/") : undefined;
          if (answer === undefined) return void res.writeHead(404).end();
          const text = JSON.stringify({ ...answer, success: true });
          this.served.requests++;
          this.served.bytes += Buffer.byteLength(text);
          res.writeHead(200, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(text),
          });
          res.end(text);
        });
      },
    );
    this.server.on("tlsClientError", () => {});
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.requestedPort, this.host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  setFault(body: unknown): { fault: FarmerFault } {
    const fault = (body as { fault?: unknown } | null)?.fault;
    if (!FARMER_FAULTS.includes(fault as FarmerFault))
      throw new FaultSpecError(
        `fault: expected one of ${FARMER_FAULTS.join(", ")}, got ${JSON.stringify(fault)}`,
      );
    this.frozenAt = fault === "no-full-node" ? Date.now() : undefined;
    this.fault = fault as FarmerFault;
    return { fault: this.fault };
  }

  /** By the last path segment, so a farmer behind a path prefix (a reverse proxy) answers too. */
  private answer(path: string): Record<string, unknown> | undefined {
    switch (path.split("?")[0]?.split("/").at(-1)) {
      case "healthz":
        return {};
      case "get_signage_points":
        return { signage_points: this.signagePoints() };
      case "get_harvesters_summary":
        return { harvesters: this.harvesters() };
      case "get_pool_state":
        return { pool_state: [this.poolState()] };
      default:
        return undefined;
    }
  }

  /** The last 16 signage points; without a full node, none after the moment it was lost. */
  private signagePoints(): unknown[] {
    const newest = Math.floor(((this.frozenAt ?? Date.now()) - this.startedAt) / this.spMs);
    const out: unknown[] = [];
    for (let n = Math.max(0, newest - 15); n <= newest; n++) {
      const slot = Math.floor(n / 64);
      out.push({
        signage_point: {
          challenge_hash: `0x${hash(`challenge:${slot}`)}`,
          challenge_chain_sp: `0x${hash(`cc-sp:${n}`)}`,
          reward_chain_sp: `0x${hash(`rc-sp:${n}`)}`,
          difficulty: 2672,
          sub_slot_iters: 135266304,
          signage_point_index: n % 64,
          peak_height: 4_154_084 + n,
        },
        proofs: [],
      });
    }
    return out;
  }

  private harvesters(): unknown[] {
    const harvester = (i: number, plots: number, failed: number) => ({
      connection: { node_id: hash(`harvester:${i}`), host: `10.0.0.${10 + i}`, port: 8448 },
      plots,
      failed_to_open_filenames: failed,
      no_key_filenames: 0,
      duplicates: 0,
      total_plot_size: plots * 108_837_900_000,
      total_effective_plot_size: plots * 108_837_900_000,
      syncing: null,
      last_sync_time: Math.floor(Date.now() / 1000) - 30,
      harvesting_mode: 1,
    });
    const first = this.fault === "plots-lost" ? harvester(0, this.plots / 2, 3) : harvester(0, this.plots, 0);
    return this.fault === "harvester-lost" ? [first] : [first, harvester(1, this.plots, 0)];
  }

  private poolState(): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const found = Array.from({ length: 12 }, (_, i) => [now - i * 3600, 10]);
    const failing = this.fault === "pool-errors";
    return {
      p2_singleton_puzzle_hash: `0x${hash("p2-singleton")}`,
      points_found_since_start: 120,
      points_found_24h: found,
      points_acknowledged_since_start: failing ? 0 : 120,
      points_acknowledged_24h: failing ? [] : found,
      current_difficulty: 10,
      pool_errors_24h: failing
        ? Array.from({ length: 5 }, () => ({
            error_code: 2,
            error_message: "Received partial in invalid time",
          }))
        : [],
      pool_config: { launcher_id: `0x${hash("launcher")}`, pool_url: "https://pool.example" },
    };
  }
}
