import type { Silence } from "../../core/silence/silence.ts";

/** Alert silences from the admin API, kept where they are applied: the outbox. Expired ones are dropped on write. */
export class SilenceStore {
  private readonly kv: SyncKvStorage;

  constructor(kv: SyncKvStorage) {
    this.kv = kv;
  }

  list(): Silence[] {
    return this.kv.get<Silence[]>("silences") ?? [];
  }

  put(silence: Silence, now: number): Silence[] {
    const list = [...this.list().filter((s) => s.id !== silence.id && Date.parse(s.until) > now), silence];
    this.kv.put("silences", list);
    return list;
  }

  delete(id: string): boolean {
    const before = this.list();
    const list = before.filter((s) => s.id !== id);
    this.kv.put("silences", list);
    return list.length !== before.length;
  }
}
