import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on Linux everywhere we run). */
const CLK_TCK = 100;

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, seconds. */
  cpuSec: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const rest = text.slice(close + 2).split(" ");
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return { pid, comm, ppid, cpuSec: (utime + stime) / CLK_TCK };
  } catch {
    return undefined;
  }
}

/** Every live process below `root` (not `root` itself). */
export function descendants(root: number): ProcStat[] {
  const all = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: ProcStat[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

/** CPU seconds used so far by the given process. */
export function cpuOf(pid: number): number {
  return readStat(pid)?.cpuSec ?? 0;
}

/** CPU seconds used so far, per pid, by the workerd processes below `root` (wrangler dev). */
export function workerdCpu(root: number): Map<number, number> {
  return new Map(
    descendants(root)
      .filter((s) => s.comm.includes("workerd"))
      .map((s) => [s.pid, s.cpuSec]),
  );
}

/** CPU seconds spent between two readings of the same process set (processes new since `before` count from 0). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, sec] of after) sum += sec - (before.get(pid) ?? 0);
  return sum;
}

/**
 * wrangler dev runs two workerd processes: the Worker's own runtime and a proxy in front of it
 * (wrangler's, listening on the dev port). Memory figures are the Worker's; the proxy's are shown
 * apart (they were counted in with ours before 2026-12-02: about 90 MiB).
 */
export function workerdRoles(root: number, devPort: number): { worker: number[]; proxy: number[] } {
  const out = { worker: [] as number[], proxy: [] as number[] };
  for (const s of descendants(root).filter((p) => p.comm.includes("workerd"))) {
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${s.pid}/cmdline`, "utf8");
    } catch {}
    (cmd.includes(`entry=127.0.0.1:${devPort}`) ? out.proxy : out.worker).push(s.pid);
  }
  return out;
}
