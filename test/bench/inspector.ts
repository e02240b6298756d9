/**
 * The Worker's V8, through wrangler's DevTools inspector: how much of workerd's RSS is our live
 * JavaScript, and where its CPU goes (a .cpuprofile Chrome DevTools opens).
 */
export interface HeapUsage {
  usedMiB: number;
  totalMiB: number;
}

interface Target {
  webSocketDebuggerUrl?: string;
}

type Call = (method: string, params?: object) => Promise<unknown>;

/** Runs `work` with a DevTools session; undefined when the inspector does not answer. */
async function withSession<T>(
  inspectorPort: number,
  work: (call: Call) => Promise<T>,
): Promise<T | undefined> {
  let targets: Target[];
  try {
    targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Target[];
  } catch {
    return undefined;
  }
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url) return undefined;
  // wrangler's inspector proxy takes DevTools connections from localhost pages only.
  const ws = new WebSocket(url, { headers: { Origin: "http://localhost" } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", () => reject(new Error(`the inspector at ${url} refused the connection`)));
  });
  let next = 1;
  const pending = new Map<number, (r: unknown) => void>();
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const call: Call = (method, params = {}) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    return await work(call);
  } finally {
    ws.close();
  }
}

/** Heap in use and reserved (after a full collection when `collect`). */
export function heapUsage(inspectorPort: number, collect = true): Promise<HeapUsage | undefined> {
  return withSession(inspectorPort, async (call) => {
    if (collect) await call("HeapProfiler.collectGarbage");
    const r = (await call("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
    return { usedMiB: r.usedSize / 2 ** 20, totalMiB: r.totalSize / 2 ** 20 };
  });
}

/** A sampling CPU profile of the Worker over `ms` (the JSON of a .cpuprofile file). */
export function cpuProfile(inspectorPort: number, ms: number): Promise<unknown> {
  return withSession(inspectorPort, async (call) => {
    await call("Profiler.enable");
    await call("Profiler.setSamplingInterval", { interval: 500 });
    await call("Profiler.start");
    await new Promise((r) => setTimeout(r, ms));
    const { profile } = (await call("Profiler.stop")) as { profile: unknown };
    return profile;
  });
}
