import type { ConfigInput } from "../../src/core/config/schema.ts";

/**
 * The config and keys of the workerd agent tests (project "workers-agent" in vitest.config.ts):
 * two agents, monitors probed by agents only and one probed by a region and an agent. No fleet:
 * the tests post batches themselves, exactly as an agent would.
 */
export const AGENT_KEYS = {
  "ops-1": "test-key-ops-1-0123456789abcdef",
  "ops-2": "test-key-ops-2-fedcba9876543210",
} as const;

export const AGENT_ADMIN_TOKEN = "test-admin-token-agents";

export const AGENT_KEY_BINDINGS = {
  AGENT_OPS_1_KEY: AGENT_KEYS["ops-1"],
  AGENT_OPS_2_KEY: AGENT_KEYS["ops-2"],
  ADMIN_TOKEN: AGENT_ADMIN_TOKEN,
  REPORT_SIGNING_KEY: "test-report-signing-key-agents",
  // A receiver that is not there: deliveries stay pending in the outbox, where the test reads them.
  AGENT_TEST_HOOK_URL: "http://127.0.0.1:1/hook",
};

export function agentTestConfig(): ConfigInput {
  return {
    version: 1,
    agents: [
      { id: "ops-1", name: "Ops host 1", keySecret: "AGENT_OPS_1_KEY", heartbeatSec: 10 },
      { id: "ops-2", keySecret: "AGENT_OPS_2_KEY", keyId: "ops-2-2026" },
      { id: "ops-3", keySecret: "AGENT_OPS_3_KEY_NOT_SET" },
    ],
    alerts: {
      channels: [{ type: "slack", id: "hook", url: { secret: "AGENT_TEST_HOOK_URL" } }],
      routes: [{ channels: ["hook"], minSeverity: "info" }],
    },
    monitors: [
      {
        id: "cert-a",
        name: "Validator A certificate",
        chain: "generic",
        check: { kind: "tls-cert", host: "node-a.example", port: 443 },
        intervalSec: 600,
        timeoutMs: 3000,
        regions: [],
        agents: ["ops-1"],
      },
      {
        id: "udp-a",
        name: "Validator A UDP",
        chain: "generic",
        check: { kind: "udp", host: "node-a.example", port: 9999, sendText: "ping" },
        intervalSec: 600,
        timeoutMs: 3000,
        regions: [],
        agents: ["ops-1", "ops-2"],
      },
      {
        id: "p2p-b",
        name: "Validator B P2P",
        chain: "casper",
        check: { kind: "casper-p2p", host: "node-b.example" },
        intervalSec: 600,
        timeoutMs: 3000,
        regions: [],
        agents: ["ops-2"],
        tags: { network: "casper-test" },
      },
      {
        id: "rpc-d",
        name: "Node D RPC",
        chain: "generic",
        // Not public: its host, port and query must never show, whatever an agent reports.
        check: { kind: "http", url: "https://rpc-d.internal:8545/health?apikey=SECRETKEY" },
        intervalSec: 600,
        timeoutMs: 3000,
        regions: [],
        agents: ["ops-1"],
        failureThreshold: 1,
      },
      {
        id: "tcp-c",
        name: "Node C TCP",
        chain: "generic",
        // A closed loopback port: region probes of it never run in these tests (no alarm is armed).
        check: { kind: "tcp", host: "127.0.0.1", port: 9 },
        intervalSec: 600,
        timeoutMs: 3000,
        regions: ["weur"],
        agents: ["ops-1"],
      },
    ],
  };
}
