import type { AlertEvent } from "../alerts/event.ts";
import type { SlaReportBody } from "./schema.ts";

/** The calendar month (UTC) before the one `now` falls in, as YYYY-MM. */
export function previousMonth(now: number): string {
  const d = new Date(now);
  const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return `${prev.getUTCFullYear()}-${String(prev.getUTCMonth() + 1).padStart(2, "0")}`;
}

const pct = (p: number | null) => (p === null ? "no data" : `${p.toFixed(3)} %`);

/**
 * The monthly SLA report as an alert: one line per monitor (worst first), its id stable per month
 * so the outbox sends it once per channel however often it is produced.
 */
export function monthlyReportAlert(report: SlaReportBody, month: string): AlertEvent {
  const judged = report.monitors.filter((m) => m.targetMet !== null);
  const met = judged.filter((m) => m.targetMet).length;
  const lines = [...report.monitors]
    .sort((a, b) => (a.availabilityPercent ?? 101) - (b.availabilityPercent ?? 101))
    .map(
      (m) =>
        `${m.name ?? m.id}: ${pct(m.availabilityPercent)} (target ${pct(m.slaTargetPercent)}) ${
          m.targetMet === null ? "not judged" : m.targetMet ? "met" : "missed"
        }`,
    );
  return {
    id: `sla-report:${month}`,
    kind: "sla_report",
    severity: met === judged.length ? "info" : "warning",
    at: report.generatedAt,
    title: `SLA report ${month} (UTC): ${met} of ${judged.length} monitors met their target; overall ${pct(report.summary.availabilityPercent)}`,
    reasons: lines.length > 20 ? [...lines.slice(0, 19), `… and ${lines.length - 19} more`] : lines,
  };
}
