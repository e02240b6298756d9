/**
 * The Worker's JavaScript heap, read through wrangler's DevTools inspector: how much of workerd's
 * RSS is ours (live objects) and how much is the runtime's.
 */
export interface HeapUsage {
  usedMiB: number;
  totalMiB: number;
}

interface Target {
  webSocketDebuggerUrl?: string;
}

/** Heap in use and reserved after a full collection, or undefined when the inspector does not answer. */
export async function heapUsage(inspectorPort: number, collect = true): Promise<HeapUsage | undefined> {
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
  const call = (method: string) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method }));
    });
  try {
    if (collect) await call("HeapProfiler.collectGarbage");
    const r = (await call("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
    return { usedMiB: r.usedSize / 2 ** 20, totalMiB: r.totalSize / 2 ** 20 };
  } finally {
    ws.close();
  }
}
