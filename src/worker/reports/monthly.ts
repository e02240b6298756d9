import { computeSla } from "../../core/sla/compute.ts";
import { monthlyReportAlert, previousMonth } from "../../core/sla/monthly-alert.ts";
import { monthPeriod } from "../../core/sla/period.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { gatherSlaInputs } from "./gather.ts";

/**
 * Once a month, from the cron: the previous calendar month's SLA (UTC) for every monitor goes to
 * the alert channels routed for `sla_report`. The outbox remembers the last month sent; the alert
 * id is per month, so a run repeated after a crash sends nothing twice.
 */
export async function deliverMonthlyReport(env: Env, now: number): Promise<{ month: string; sent: boolean }> {
  const month = previousMonth(now);
  const outbox = env.ALERTS.getByName("outbox");
  if ((await outbox.lastMonthlyReport()) === month) return { month, sent: false };
  const config = loadConfig(env);
  const period = monthPeriod(month, "UTC");
  if (!period || config.monitors.length === 0) return { month, sent: false };
  // Time not yet lived is not counted (only matters when called for the running month).
  const to = Math.min(period.to, Date.now());
  const inputs = await gatherSlaInputs(env, config, config.monitors, period.from, to);
  const report = computeSla(
    { from: period.from, to, tz: "UTC", month, policy: "exclude", scope: {}, generatedAt: now },
    inputs,
  );
  // A deployment younger than the month has nothing to report: say nothing rather than "no data".
  if (report.monitors.every((m) => m.availabilityPercent === null)) {
    await outbox.setLastMonthlyReport(month);
    return { month, sent: false };
  }
  await outbox.enqueue([monthlyReportAlert(report, month)]);
  await outbox.setLastMonthlyReport(month);
  return { month, sent: true };
}
