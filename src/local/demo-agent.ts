import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCertificate, generateEcKeys } from "../agent/crypto/x509.ts";
import { SimChiaFarmer } from "../sim/chia/farmer.ts";
import { DEMO_FARMER_PORTS } from "../sim/demo-layout.ts";

/** The demo agent's key: a local-only stand-in for the Worker secret DEMO_AGENT_KEY. */
export const DEMO_AGENT_SECRETS = { DEMO_AGENT_KEY: "local-demo-agent-key-5c1e0b7a93" };

/** Where the demo keeps its private CA and the agent's spool (ignored by git; uptime.config.json names these files). */
export const DEMO_AGENT_DIR = join(".wrangler", "demo-agent");

const DAY = 86_400_000;

/**
 * The Chia part of `npm start`: two simulated farmers over mutual TLS (a private CA made here, as
 * Chia makes its own), and the companion agent as a process of its own, probing them with the
 * farmer's client certificate and reporting to the local Worker. Farmer "main" is healthy;
 * "backup" lost half the plots of one harvester.
 */
export async function startDemoAgent(root: string, workerUrl: string): Promise<{ stop(): Promise<void> }> {
  const dir = join(root, DEMO_AGENT_DIR);
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const caKeys = generateEcKeys("P-256");
  const caName = { commonName: "Chia Demo Private CA", organization: "chain-uptime demo" };
  const ca = buildCertificate({
    subject: caName,
    keys: caKeys,
    ca: true,
    serial: 1,
    notBefore: now - DAY,
    notAfter: now + 365 * DAY,
  });
  const issue = (commonName: string) => {
    const keys = generateEcKeys("P-256");
    return buildCertificate({
      subject: { commonName },
      keys,
      issuer: { name: caName, keys: caKeys },
      serial: BigInt(`0x${randomBytes(8).toString("hex")}`),
      notBefore: now - DAY,
      notAfter: now + 365 * DAY,
      altNames: ["localhost", "127.0.0.1"],
    });
  };
  const server = issue("chia farmer");
  const client = issue("chia farmer client");
  writeFileSync(join(dir, "private_ca.crt"), ca.pem);
  writeFileSync(join(dir, "private_farmer.crt"), client.pem);
  writeFileSync(join(dir, "private_farmer.key"), client.keyPem, { mode: 0o600 });

  const tls = { ca: ca.pem, cert: server.pem, key: server.keyPem };
  const main = new SimChiaFarmer({ tls, port: DEMO_FARMER_PORTS.main });
  const backup = new SimChiaFarmer({ tls, port: DEMO_FARMER_PORTS.backup });
  await main.start();
  await backup.start();
  backup.setFault({ fault: "plots-lost" });

  const config = join(dir, "agent.json");
  writeFileSync(
    config,
    JSON.stringify({
      agentId: "demo-agent",
      workerUrl,
      spoolDir: join(dir, "spool"),
      batchEverySec: 2,
      heartbeatSec: 30,
      logLevel: "warn",
    }),
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, "src", "agent", "cli.ts"), "--config", config],
    {
      cwd: root,
      env: { ...process.env, CHAIN_UPTIME_AGENT_KEY: DEMO_AGENT_SECRETS.DEMO_AGENT_KEY },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  return {
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      }
      await Promise.all([main.stop(), backup.stop()]);
    },
  };
}
