import type { Region } from "../../core/config/regions.ts";
import type { ProbeRecord, ShedProbe } from "../../core/records.ts";
import { Courier } from "./courier.ts";

/** One probe a prober hands to a runner: which monitor, for which slot, and when it was handed. */
export interface ProbeOrder {
  monitorId: string;
  /** Start of the slot it belongs to; for a forced probe, when it was asked for. */
  scheduledAt: number;
  handedAt: number;
  forced?: boolean;
}

export interface ProbeJob {
  region: Region;
  orders: ProbeOrder[];
}

/**
 * Invocations a job fans out to. One request may reach 32 Workers through service bindings (the
 * prober's call to the runner and the runner itself included), so a job stays well under it; up to
 * this many due probes each get an invocation, and its connections, of their own.
 */
export const MAX_CHILDREN = 24;
/**
 * How long a finished result may wait for others to travel with it to the state object; a
 * success also waits for the job's last start (plus this), so a window's results travel together.
 */
export const GATHER_MS = 250;

/** What a group of probes came to: the records of those that ran, and those skipped (core/shed.ts). */
export interface GroupOutcome {
  records: ProbeRecord[];
  shed: ShedProbe[];
}

export interface JobIo {
  /** Runs `orders` in an invocation of their own; resolves with their records and skips. */
  probeSome(orders: ProbeOrder[]): Promise<GroupOutcome>;
  deliver(outcome: GroupOutcome): Promise<void>;
}

/** Orders dealt round-robin into at most `children` groups, none empty. */
export function dealOrders(orders: readonly ProbeOrder[], children: number): ProbeOrder[][] {
  const n = Math.max(1, Math.min(children, orders.length));
  const groups: ProbeOrder[][] = Array.from({ length: n }, () => []);
  for (const [i, o] of orders.entries()) groups[i % n]?.push(o);
  return orders.length === 0 ? [] : groups;
}

/**
 * A prober's hand-off, run outside the prober: the window's probes fan out to invocations of their
 * own, each starting at its slot, so no probe waits for another's connection, and results travel to
 * the state objects as their invocation ends (a failure within GATHER_MS, a success once the
 * window's probes have started), so a hung probe holds back only itself. A group whose
 * invocation fails is logged and dropped, like a probe that never ran: the next slot probes again.
 */
export async function runJob(job: ProbeJob, io: JobIo, gatherMs = GATHER_MS): Promise<{ probed: number }> {
  // In start order, so that dealing gives each invocation its probes in the order they start.
  const orders = job.orders.toSorted((a, b) => a.scheduledAt - b.scheduledAt);
  const lastStart = orders.at(-1)?.scheduledAt ?? 0;
  const courier = new Courier(io.deliver, gatherMs, lastStart + gatherMs);
  const groups = dealOrders(orders, MAX_CHILDREN);
  let running = groups.length;
  let probed = 0;
  await Promise.all(
    groups.map(async (orders) => {
      let outcome: GroupOutcome = { records: [], shed: [] };
      try {
        outcome = await io.probeSome(orders);
      } catch (e) {
        console.error(
          JSON.stringify({
            event: "probe_group_failed",
            region: job.region,
            probes: orders.length,
            error: String(e),
          }),
        );
      }
      running--;
      probed += outcome.records.length;
      courier.skipped(outcome.shed);
      const { records } = outcome;
      for (const [i, r] of records.entries()) courier.push(r, running === 0 && i === records.length - 1);
    }),
  );
  await courier.drain();
  return { probed };
}
