import { SNAPSHOT_KEY, type Snapshot } from "../board/snapshot.ts";
import type { Env } from "../env.ts";

/** The public snapshot: KV (edge-cached) first; the board itself only before its first write. */
export async function readSnapshot(env: Env): Promise<Snapshot> {
  const cached = await env.SNAPSHOT.get<Snapshot>(SNAPSHOT_KEY, "json");
  if (cached) return cached;
  return env.BOARD.getByName("global").snapshot();
}
