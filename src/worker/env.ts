import type { AgentDO } from "./agent/agent-do.ts";
import type { AlertOutboxDO } from "./alerts/outbox-do.ts";
import type { StatusBoardDO } from "./board/status-board-do.ts";
import type { ProberDO } from "./prober/prober-do.ts";
import type { MonitorStateDO } from "./state/monitor-state-do.ts";

export interface Env {
  PROBER: DurableObjectNamespace<ProberDO>;
  STATE: DurableObjectNamespace<MonitorStateDO>;
  BOARD: DurableObjectNamespace<StatusBoardDO>;
  ALERTS: DurableObjectNamespace<AlertOutboxDO>;
  /** One per companion agent: batch-id dedupe and last-seen (src/worker/agent/agent-do.ts). */
  AGENTS: DurableObjectNamespace<AgentDO>;
  SNAPSHOT: KVNamespace;
  /** Config JSON; overrides the bundled uptime.config.json (local runs, tests). */
  UPTIME_CONFIG?: string;
  ADMIN_TOKEN?: string;
}
