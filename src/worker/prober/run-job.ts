import type { Region } from "../../core/config/regions.ts";
import type { ProbeRecord, ShedProbe } from "../../core/records.ts";
import { Courier } from "./courier.ts";
import { startClock } from "./start-clock.ts";

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

/**
 * Orders (sorted by start) dealt into at most `children` groups, none empty, none lost, each group
 * holding one start instant where there are enough children, so that its invocation can be started
 * at that instant instead of living through the window (dealt round-robin, each of 24 invocations
 * held all five instants). An instant gets invocations in proportion to its probes, so the largest
 * ones still spread their connections.
 */
export function dealOrders(orders: readonly ProbeOrder[], children: number): ProbeOrder[][] {
  if (orders.length === 0) return [];
  const n = Math.max(1, Math.min(children, orders.length));
  const instants = byInstant(orders);
  if (instants.length > n) return chunks(instants, n);
  // One invocation per instant, then each spare one to the instant with the most probes per invocation.
  const shares = instants.map(() => 1);
  for (let spare = n - instants.length; spare > 0; spare--) {
    let best = -1;
    for (const [i, group] of instants.entries()) {
      const k = shares[i] ?? 1;
      if (k >= group.length) continue;
      if (best < 0 || group.length / k > (instants[best]?.length ?? 0) / (shares[best] ?? 1)) best = i;
    }
    if (best < 0) break;
    shares[best] = (shares[best] ?? 1) + 1;
  }
  return instants.flatMap((group, i) => roundRobin(group, shares[i] ?? 1));
}

/** Consecutive orders with the same start, in order. */
function byInstant(orders: readonly ProbeOrder[]): ProbeOrder[][] {
  const out: ProbeOrder[][] = [];
  for (const o of orders) {
    const last = out.at(-1);
    if (last && last[0]?.scheduledAt === o.scheduledAt) last.push(o);
    else out.push([o]);
  }
  return out;
}

function roundRobin(orders: readonly ProbeOrder[], k: number): ProbeOrder[][] {
  const groups: ProbeOrder[][] = Array.from({ length: k }, () => []);
  for (const [i, o] of orders.entries()) groups[i % k]?.push(o);
  return groups;
}

/** More instants than invocations: neighbouring instants share one, in `n` runs of about equal size. */
function chunks(instants: readonly ProbeOrder[][], n: number): ProbeOrder[][] {
  const total = instants.reduce((sum, g) => sum + g.length, 0);
  const groups: ProbeOrder[][] = [];
  let current: ProbeOrder[] = [];
  let taken = 0;
  for (const [i, group] of instants.entries()) {
    current.push(...group);
    taken += group.length;
    const left = instants.length - i - 1;
    const groupsLeft = n - groups.length - 1;
    if (groupsLeft > 0 && (taken >= (total * (groups.length + 1)) / n || left === groupsLeft)) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * A group's invocation starts this long before its instant (the probes inside wait the rest): the
 * call through a service binding takes a few milliseconds to begin.
 */
export const LAUNCH_LEAD_MS = 100;

/**
 * A prober's hand-off, run outside the prober: the window's probes fan out to invocations of their
 * own, each started just before its probes' instant (not alive, and holding the runtime's memory,
 * through the whole window), so no probe waits for another's connection, and
 * results travel to the state objects as their invocation ends (a failure within GATHER_MS, a
 * success once the window's probes have started), so a hung probe holds back only itself. A group
 * whose invocation fails is logged and dropped, like a probe that never ran: the next slot probes
 * again.
 */
export async function runJob(job: ProbeJob, io: JobIo, gatherMs = GATHER_MS): Promise<{ probed: number }> {
  // In start order, so that dealing gives each invocation its probes in the order they start.
  const orders = job.orders.toSorted((a, b) => a.scheduledAt - b.scheduledAt);
  const lastStart = orders.at(-1)?.scheduledAt ?? 0;
  const courier = new Courier(io.deliver, gatherMs, lastStart + gatherMs);
  const groups = dealOrders(orders, MAX_CHILDREN);
  const launchTime = startClock();
  let running = groups.length;
  let probed = 0;
  await Promise.all(
    groups.map(async (orders) => {
      let outcome: GroupOutcome = { records: [], shed: [] };
      try {
        await launchTime((orders[0]?.scheduledAt ?? 0) - LAUNCH_LEAD_MS);
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
