import { createApp } from "./api/app.ts";
import type { Env } from "./env.ts";
import { deliverMonthlyReport } from "./reports/monthly.ts";
import { runWatchdog } from "./watchdog.ts";

export { AgentDO } from "./agent/agent-do.ts";
export { AlertOutboxDO } from "./alerts/outbox-do.ts";
export { StatusBoardDO } from "./board/status-board-do.ts";
export { ProbeRunner } from "./prober/probe-runner.ts";
export { ProberDO } from "./prober/prober-do.ts";
export { MonitorStateDO } from "./state/monitor-state-do.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(
      deliverMonthlyReport(env, controller.scheduledTime).catch((err) =>
        console.error(JSON.stringify({ event: "monthly_report_failed", error: String(err) })),
      ),
    );
    ctx.waitUntil(
      runWatchdog(env).then(
        (report) => {
          const rearmed = report.probers.filter((p) => p.rearmed).map((p) => p.name);
          console.log(JSON.stringify({ event: "watchdog", probers: report.probers.length, rearmed }));
        },
        (err) => console.error(JSON.stringify({ event: "watchdog_failed", error: String(err) })),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
