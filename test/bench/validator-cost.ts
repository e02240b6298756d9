/**
 * What each validator kind costs per probe at mainnet sizes: requests (a Worker's subrequests)
 * and bytes read. A simulated Casper network with a 100-validator auction and 5,000 delegators,
 * a Nano network's representatives, a Chia farmer over mutual TLS; all on loopback, stopped at
 * the end. The probes run in Node here; the Worker runs the same code (src/probes).
 *
 *   npm run bench:validators
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodePlatform } from "../../src/agent/net/platform.ts";
import { chiaFarmerProbe } from "../../src/agent/probes/chia-farmer.ts";
import { type CheckOf, CheckSchema } from "../../src/core/kinds/index.ts";
import { casperValidatorProbe } from "../../src/probes/casper-validator.ts";
import { nanoRepresentativeProbe } from "../../src/probes/nano-representative.ts";
import { createRunner } from "../../src/probes/runner.ts";
import { SimChiaFarmer } from "../../src/sim/chia/farmer.ts";
import { startFleet } from "../../src/sim/fleet.ts";
import { makePki } from "../node/agent-servers.ts";

const KEY = `01${"7e".repeat(32)}`;
const REP = `nano_1${"cost".repeat(14)}ccc`;
const run = createRunner(
  {
    "casper-validator": casperValidatorProbe,
    "nano-representative": nanoRepresentativeProbe,
    "chia-farmer": chiaFarmerProbe,
  } as never,
  nodePlatform,
);
const options = { timeoutMs: 10_000, userAgent: "chain-uptime-bench/1" };

/** Counts requests and the response bytes a probe actually pulls through fetch. */
const meter = { requests: 0, bytes: 0 };
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  meter.requests++;
  const res = await realFetch(input, init);
  if (!res.body) return res;
  const counted = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        meter.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: res.status, headers: res.headers });
};

async function measure(label: string, probe: () => Promise<{ ok: boolean; error?: { message: string } }>) {
  meter.requests = 0;
  meter.bytes = 0;
  const r = await probe();
  if (!r.ok) throw new Error(`${label}: ${r.error?.message}`);
  // Streams cancelled mid-body settle a moment later.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { label, requests: meter.requests, kib: Math.round((meter.bytes / 1024) * 10) / 10 };
}

const fleet = await startFleet([
  {
    id: "cost-validator",
    version: "2.0",
    chainName: "casper-cost",
    blockTimeMs: 1000,
    validatorKey: KEY,
    auction: { validators: 100, delegators: 5000 },
  },
  { kind: "nano", id: "cost-nano", representative: { account: REP, weightNano: 500_000 } },
]);
const pki = makePki();
const farmer = new SimChiaFarmer({ tls: { ca: pki.ca.cert, ...pki.server }, signagePointMs: 9375 });
const farmerPort = await farmer.start();
try {
  const n = fleet.nodes[0];
  const nano = fleet.nano[0];
  if (!n || !nano) throw new Error("fleet did not start");
  const casper = CheckSchema.parse({
    kind: "casper-validator",
    publicKey: KEY,
    rpc: [`http://${n.host}:${n.ports.rpc}/rpc`],
    nodeStatusUrl: `http://${n.host}:${n.ports.rest}/status`,
  }) as CheckOf<"casper-validator">;
  const rows = [];
  rows.push(
    await measure("casper-validator, first probe of an era (auction read)", () =>
      run(casper, options, new AbortController().signal),
    ),
  );
  await new Promise((r) => setTimeout(r, 3000));
  rows.push(
    await measure("casper-validator, later probe (3 new blocks)", () =>
      run(casper, options, new AbortController().signal),
    ),
  );
  const full = await realFetch(`http://${n.host}:${n.ports.rpc}/rpc`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "state_get_auction_info" }),
  });
  const auctionKib = Math.round(((await full.arrayBuffer()).byteLength / 1024) * 10) / 10;

  const rep = CheckSchema.parse({
    kind: "nano-representative",
    account: REP,
    rpc: [`http://${nano.host}:${nano.ports.rpc}/`, `http://${nano.host}:${nano.ports.proxy}/proxy`],
  }) as CheckOf<"nano-representative">;
  rows.push(
    await measure("nano-representative, 2 nodes asked", () =>
      run(rep, options, new AbortController().signal),
    ),
  );

  const dir = mkdtempSync(join(tmpdir(), "chain-uptime-bench-"));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const chia = CheckSchema.parse({
    kind: "chia-farmer",
    url: `https://127.0.0.1:${farmerPort}`,
    pool: true,
    caFile: file("ca.crt", pki.ca.cert),
    certFile: file("client.crt", pki.client.cert),
    keyFile: file("client.key", pki.client.key),
  }) as CheckOf<"chia-farmer">;
  farmer.served.requests = 0;
  farmer.served.bytes = 0;
  const farmed = await run(chia, options, new AbortController().signal);
  if (!farmed.ok) throw new Error(`chia-farmer: ${farmed.error?.message}`);
  rows.push({
    label: "chia-farmer with pool (agent; mutual TLS, not through fetch)",
    requests: farmer.served.requests,
    kib: Math.round((farmer.served.bytes / 1024) * 10) / 10,
  });

  console.log("\nValidator kinds: cost per probe at mainnet sizes\n");
  console.log("| probe | requests | KiB read |\n| --- | --- | --- |");
  for (const r of rows) console.log(`| ${r.label} | ${r.requests} | ${r.kib} |`);
  console.log(
    `\nThe whole state_get_auction_info answer (100 validators, 5,000 delegators): ${auctionKib} KiB; read per era, only up to era_validators.`,
  );
} finally {
  await farmer.stop();
  await fleet.stop();
  globalThis.fetch = realFetch;
}
