/**
 * Which waiting probes start now, under the per-invocation connection limit.
 *
 * A probe whose last run held its connection for half its timeout or more (a hung, dripping or
 * endlessly streaming target) is a *suspect*: it will likely do so again. Suspects start after every
 * other waiting probe and may hold at most `limit − reserve` connections at once, so a handful of
 * hostile targets can make each other late but never the healthy monitors beside them.
 */
export interface Waiting {
  id: string;
  /** Start of the slot the probe is waiting for. */
  dueAt: number;
  suspect: boolean;
}

export interface InFlight {
  total: number;
  suspects: number;
}

/** Connections kept free of suspects: 2 of the platform's 6, half of a smaller limit. */
export function reservedFor(limit: number): number {
  return Math.min(2, Math.floor(limit / 2));
}

/** The probes to start now, in order: the others by due time, then suspects by due time. */
export function startNow<W extends Waiting>(waiting: readonly W[], inFlight: InFlight, limit: number): W[] {
  const free = limit - inFlight.total;
  if (free <= 0 || waiting.length === 0) return [];
  const ordered = [...waiting].sort((a, b) => Number(a.suspect) - Number(b.suspect) || a.dueAt - b.dueAt);
  const suspectRoom = limit - reservedFor(limit) - inFlight.suspects;
  const out: W[] = [];
  let suspects = 0;
  for (const w of ordered) {
    if (out.length === free) break;
    if (w.suspect) {
      if (suspects >= suspectRoom) break;
      suspects++;
    }
    out.push(w);
  }
  return out;
}
