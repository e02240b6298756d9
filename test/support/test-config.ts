import type { ConfigInput } from "../../src/core/config/schema.ts";
import type { FleetInfo, SimNodeInfo } from "../../src/sim/types.ts";
import { VALIDATOR_KEYS } from "./fleet-layout.ts";

type MonitorInput = ConfigInput["monitors"][number];

const rules = { blockTimeSec: 1, expectChainName: "casper-test", maxLagBlocks: 5 };
const tags = { network: "casper-test", operator: "Test Ops" };

function node(fleet: FleetInfo, id: string): SimNodeInfo {
  const n = fleet.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`test fleet has no node ${id}`);
  return n;
}

function monitor(id: string, check: MonitorInput["check"], extra: Partial<MonitorInput> = {}): MonitorInput {
  return {
    id,
    name: `Test ${id}`,
    chain: "casper",
    check,
    // Long intervals: tests drive probes themselves (tick with force) and real alarms stay out of the way.
    intervalSec: 600,
    timeoutMs: 3000,
    regions: ["weur"],
    tags,
    rules,
    ...extra,
  };
}

const costScope = { regions: ["oc" as const], tags: { network: "casper-cost" }, rules: { blockTimeSec: 1 } };
const usageScope = {
  regions: ["me" as const],
  tags: { network: "casper-usage" },
  rules: { blockTimeSec: 1 },
};

/**
 * The config the workerd tests run with: monitors over the test fleet's nodes, and alert channels
 * pointing at the stand-in receivers (their URLs are secrets; vitest.config.ts binds them).
 */
export function testConfigFor(fleet: FleetInfo, receivers: Record<string, string>): ConfigInput {
  const url = (id: string, port: "rest" | "rpc" | "sse", path: string) => {
    const n = node(fleet, id);
    return `http://${n.host}:${n.ports[port]}${path}`;
  };
  const a = node(fleet, "e2e-a");
  return {
    version: 1,
    monitors: [
      monitor(
        "a-rest",
        { kind: "casper-rest", url: url("e2e-a", "rest", "/status") },
        { regions: ["weur", "enam"], public: true },
      ),
      monitor("a-rpc", { kind: "casper-rpc", url: url("e2e-a", "rpc", "/rpc") }),
      monitor("a-events", { kind: "casper-sse", url: url("e2e-a", "sse", "/events"), blockWithinMs: 2500 }),
      monitor("a-p2p", { kind: "tcp", host: a.host, port: a.ports.p2p }),
      monitor("b-rest", { kind: "casper-rest", url: url("e2e-b", "rest", "/status") }),
      monitor("c-rest", { kind: "casper-rest", url: url("e2e-c", "rest", "/status") }),
      monitor("d-rest", { kind: "casper-rest", url: url("e2e-d", "rest", "/status") }),
      monitor("e-rpc", { kind: "casper-rpc", url: url("e2e-e", "rpc", "/rpc") }),
      // Alert tests: one node probed from two regions (quorum 2), one seen failing from one region only.
      monitor(
        "alert-rest",
        { kind: "casper-rest", url: url("alert-a", "rest", "/status") },
        {
          regions: ["weur", "enam"],
          tags: { network: "casper-alerts", operator: "Alert Ops" },
          rules: { blockTimeSec: 1, expectChainName: "casper-alerts" },
        },
      ),
      monitor(
        "alert-one",
        { kind: "casper-rest", url: url("alert-b", "rest", "/status") },
        {
          regions: ["weur", "enam"],
          tags: { network: "casper-alerts", operator: "Alert Ops" },
          rules: { blockTimeSec: 1, expectChainName: "casper-alerts" },
        },
      ),
      // The cost test's own region and network, so parallel test files don't add to its counts.
      ...["cost-a", "cost-b"].flatMap((n) => [
        monitor(`${n}-rest`, { kind: "casper-rest", url: url(n, "rest", "/status") }, costScope),
        monitor(`${n}-rpc`, { kind: "casper-rpc", url: url(n, "rpc", "/rpc") }, costScope),
        monitor(`${n}-status`, { kind: "casper-rest", url: url(n, "rest", "/status") }, costScope),
        monitor(
          `${n}-p2p`,
          { kind: "tcp", host: node(fleet, n).host, port: node(fleet, n).ports.p2p },
          costScope,
        ),
      ]),
      // The watchdog test's own region: it ages this prober's clock to make it look silent.
      monitor(
        "watch-1",
        { kind: "tcp", host: node(fleet, "alert-b").host, port: node(fleet, "alert-b").ports.p2p },
        {
          regions: ["afr"],
          tags: { network: "casper-watch" },
        },
      ),
      // The hand-off test's own region: one monitor whose timeout outlasts a dispatched job's budget,
      // one within it.
      monitor(
        "handoff-long",
        { kind: "tcp", host: node(fleet, "alert-b").host, port: node(fleet, "alert-b").ports.p2p },
        { regions: ["wnam"], tags: { network: "casper-handoff" }, timeoutMs: 25_000 },
      ),
      monitor(
        "handoff-short",
        { kind: "tcp", host: node(fleet, "alert-b").host, port: node(fleet, "alert-b").ports.p2p },
        { regions: ["wnam"], tags: { network: "casper-handoff" } },
      ),
      // Twelve monitors on one node, probed from their own region, to watch the in-flight limit.
      ...Array.from({ length: 12 }, (_, i) =>
        monitor(
          `lim-${i + 1}`,
          { kind: "casper-rest", url: url("e2e-d", "rest", "/status") },
          { regions: ["apac"] },
        ),
      ),
      // Push (heartbeat) monitors in a network of their own; the push tests call them.
      ...(
        [
          ["push-job", 600, 60],
          ["push-burst", 600, 60],
          ["push-late", 10, 0],
          ["push-idle", 10, 0],
          ["push-limit", 600, 60],
        ] as const
      ).map(([id, intervalSec, graceSec]) => ({
        id,
        name: `Test ${id}`,
        chain: "generic" as const,
        check: {
          kind: "push" as const,
          token: { secret: `${id.toUpperCase().replace("-", "_")}_TOKEN` },
          graceSec,
        },
        intervalSec,
        tags: { network: "push-tests" },
      })),
      // The validator pipeline test (validators-pipeline.test.ts): a key and the node that runs it.
      monitor(
        "vp-key",
        {
          kind: "casper-validator",
          publicKey: VALIDATOR_KEYS.pipeline,
          rpc: [url("val-pipe", "rpc", "/rpc")],
          nodeStatusUrl: url("val-pipe", "rest", "/status"),
          auctionMaxAgeSec: 0,
        },
        { tags: { network: "casper-val", operator: "Validator Ops" }, rules: {} },
      ),
      monitor(
        "vp-node",
        { kind: "casper-rest", url: url("val-pipe", "rest", "/status") },
        {
          tags: { network: "casper-val", operator: "Validator Ops", validatorKey: VALIDATOR_KEYS.pipeline },
          rules: { blockTimeSec: 1, expectChainName: "casper-val" },
        },
      ),
      // The usage test's own region and network: its counts are the only ones there.
      ...["usage-a", "usage-b"].map((n) =>
        monitor(`${n}-rest`, { kind: "casper-rest", url: url(n, "rest", "/status") }, usageScope),
      ),
    ],
    alerts: {
      channels: [
        { type: "slack", id: "slack", url: { secret: "SLACK_URL" } },
        { type: "discord", id: "discord", url: { secret: "DISCORD_URL" } },
        {
          type: "webhook",
          id: "webhook",
          url: { secret: "WEBHOOK_URL" },
          signingSecret: { secret: "WEBHOOK_SECRET" },
        },
        {
          type: "pagerduty",
          id: "pagerduty",
          routingKey: { secret: "PD_ROUTING_KEY" },
          url: `${receivers.pagerduty}/ops`,
        },
        {
          type: "telegram",
          id: "telegram",
          botToken: { secret: "TELEGRAM_BOT_TOKEN" },
          chatId: -1001234567890,
          apiUrl: `${receivers.telegram}/ops`,
        },
        {
          type: "ntfy",
          id: "ntfy",
          topicUrl: `${receivers.ntfy}/ops/validators`,
          token: { secret: "NTFY_TOKEN" },
        },
        // The chat providers' answers (429, 500, hang, refusals), each on a path of its own.
        {
          type: "telegram",
          id: "telegram-modes",
          botToken: { secret: "TELEGRAM_BOT_TOKEN" },
          chatId: "@chain_uptime_ops",
          threadId: 7,
          apiUrl: `${receivers.telegram}/modes`,
        },
        { type: "ntfy", id: "ntfy-modes", topicUrl: `${receivers.ntfy}/modes/ops` },
      ],
      // Only the alert tests' monitors page anyone, so other tests' outages stay out of the receivers.
      routes: [
        {
          channels: ["slack", "discord", "webhook", "pagerduty", "telegram", "ntfy"],
          monitors: ["alert-rest", "alert-one"],
          minSeverity: "info",
        },
        { channels: ["telegram-modes", "ntfy-modes"], monitors: ["chat-modes"], minSeverity: "info" },
        // A push monitor's missed heartbeat alerts like any outage.
        { channels: ["webhook"], monitors: ["push-late"], minSeverity: "info" },
        // A validator key's status and an eviction ahead are alerts of their own kinds.
        {
          channels: ["webhook"],
          monitors: ["vp-key"],
          kinds: ["validator_status", "validator_eviction"],
          minSeverity: "info",
        },
        {
          channels: ["webhook"],
          kinds: ["monitoring_degraded", "monitoring_recovered"],
          minSeverity: "info",
        },
        { channels: ["webhook"], kinds: ["sla_report"], minSeverity: "info" },
      ],
      maxAttempts: 4,
      // The alert tests take the node down and up several times; flapping is tested at their end.
      flapping: { transitions: 14, windowMin: 60 },
    },
  };
}
