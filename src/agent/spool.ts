import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ProbeRecord, ProbeRecordSchema } from "../core/records.ts";
import type { Logger } from "./log.ts";

/**
 * Results on disk until the Worker acknowledges them, so that neither a crash (SIGKILL included),
 * a restart nor a Worker outage loses one.
 *
 *   <dir>/current.jsonl           each result appended (and fsynced) as soon as its probe ends
 *   <dir>/ready/<t>-<id>.jsonl    sealed batches, named by seal time and batch id, sent oldest first
 *   <dir>/rejected/…              batches the Worker refused for good, kept for the operator
 *
 * Sealing is a rename, so a batch file is either complete or absent; its id is fixed at sealing and
 * travels with every resend, which is what lets the Worker apply it once. A line torn by a crash
 * mid-write can only be the journal's last; it is skipped when the journal is sealed at start-up.
 */
export interface SpooledBatch {
  name: string;
  batchId: string;
  createdAt: number;
}

export interface SpoolStats {
  batches: number;
  records: number;
  oldestAt: number | null;
}

const CURRENT = "current.jsonl";
const NAME_RE = /^(\d{15})-([A-Za-z0-9_-]{8,100})\.jsonl$/;

export class Spool {
  readonly dir: string;
  private readonly agentId: string;
  private readonly log: Logger;
  private handle: FileHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Records in the journal, not yet sealed. */
  pending = 0;
  /** Record count per ready batch, learnt when sealed or read. */
  private readonly counts = new Map<string, number>();

  constructor(dir: string, agentId: string, log: Logger) {
    this.dir = dir;
    this.agentId = agentId;
    this.log = log;
  }

  private get current() {
    return join(this.dir, CURRENT);
  }

  /** Creates the folders, drops half-written temp files, and seals a journal left by a crash. */
  async init(): Promise<void> {
    await mkdir(join(this.dir, "ready"), { recursive: true });
    await mkdir(join(this.dir, "rejected"), { recursive: true });
    for (const f of await readdir(join(this.dir, "ready"))) {
      if (f.endsWith(".tmp")) await rm(join(this.dir, "ready", f), { force: true });
    }
    const recovered = await this.readJournal();
    this.pending = recovered.length;
    if (recovered.length) {
      const batch = await this.seal();
      this.log.info("spool_recovered", { batchId: batch?.batchId, records: recovered.length });
    } else {
      await rm(this.current, { force: true });
    }
  }

  private async readJournal(): Promise<ProbeRecord[]> {
    let text: string;
    try {
      text = await readFile(this.current, "utf8");
    } catch {
      return [];
    }
    return parseLines(text, (line) => this.log.warn("spool_torn_line", { bytes: line.length }));
  }

  /** Serialises disk operations: appends, seals and acks never interleave. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Appends one result to the journal and fsyncs it. */
  append(record: ProbeRecord): Promise<void> {
    return this.serial(async () => {
      this.handle ??= await open(this.current, "a");
      await this.handle.appendFile(`${JSON.stringify(record)}\n`);
      await this.handle.datasync();
      this.pending++;
    });
  }

  /** Turns the journal into a ready batch (if it holds anything); returns it. */
  seal(now = Date.now()): Promise<(SpooledBatch & { records: number }) | undefined> {
    return this.serial(async () => {
      await this.handle?.close();
      this.handle = undefined;
      if (this.pending === 0) return undefined;
      const batchId = `${this.agentId}-${now.toString(36)}-${randomBytes(5).toString("hex")}`;
      const name = `${String(now).padStart(15, "0")}-${batchId}.jsonl`;
      await rename(this.current, join(this.dir, "ready", name));
      await syncDir(join(this.dir, "ready"));
      await syncDir(this.dir);
      const records = this.pending;
      this.counts.set(name, records);
      this.pending = 0;
      return { name, batchId, createdAt: now, records };
    });
  }

  /** Ready batches, oldest first. */
  async list(): Promise<SpooledBatch[]> {
    const out: SpooledBatch[] = [];
    for (const name of (await readdir(join(this.dir, "ready"))).sort()) {
      const m = NAME_RE.exec(name);
      if (m?.[1] && m[2]) out.push({ name, batchId: m[2], createdAt: Number(m[1]) });
    }
    return out;
  }

  async read(batch: SpooledBatch): Promise<ProbeRecord[]> {
    const text = await readFile(join(this.dir, "ready", batch.name), "utf8");
    const records = parseLines(text, (line) =>
      this.log.warn("spool_bad_line", { batchId: batch.batchId, bytes: line.length }),
    );
    this.counts.set(batch.name, records.length);
    return records;
  }

  /** The Worker holds it: forget it. */
  ack(batch: SpooledBatch): Promise<void> {
    return this.serial(async () => {
      await rm(join(this.dir, "ready", batch.name), { force: true });
      this.counts.delete(batch.name);
    });
  }

  /** Refused for good, or too old: set aside with the reason, out of the send queue. */
  reject(batch: SpooledBatch, reason: unknown): Promise<void> {
    return this.serial(async () => {
      await writeFile(join(this.dir, "rejected", `${batch.name}.reason.json`), `${JSON.stringify(reason)}\n`);
      await rename(join(this.dir, "ready", batch.name), join(this.dir, "rejected", batch.name));
      this.counts.delete(batch.name);
    });
  }

  /**
   * Replaces a batch with two halves (too large for one request). Half ids derive from the original,
   * so if a crash repeats the split it rewrites the same two batches instead of adding more.
   */
  split(batch: SpooledBatch, records: ProbeRecord[]): Promise<SpooledBatch[]> {
    return this.serial(async () => {
      const mid = Math.ceil(records.length / 2);
      const halves = [records.slice(0, mid), records.slice(mid)].filter((h) => h.length > 0);
      const out: SpooledBatch[] = [];
      for (const [i, half] of halves.entries()) {
        const batchId = `${batch.batchId.slice(0, 96)}-${i === 0 ? "a" : "b"}`;
        const name = `${String(batch.createdAt).padStart(15, "0")}-${batchId}.jsonl`;
        const tmp = join(this.dir, "ready", `${name}.tmp`);
        await writeFile(tmp, half.map((r) => `${JSON.stringify(r)}\n`).join(""));
        await rename(tmp, join(this.dir, "ready", name));
        out.push({ name, batchId, createdAt: batch.createdAt });
        this.counts.set(name, half.length);
      }
      await syncDir(join(this.dir, "ready"));
      await rm(join(this.dir, "ready", batch.name), { force: true });
      this.counts.delete(batch.name);
      return out;
    });
  }

  async stats(): Promise<SpoolStats> {
    const ready = await this.list();
    let records = this.pending;
    for (const b of ready) {
      let n = this.counts.get(b.name);
      if (n === undefined)
        n = await this.read(b).then(
          (r) => r.length,
          () => 0,
        );
      records += n;
    }
    return { batches: ready.length, records, oldestAt: ready[0]?.createdAt ?? null };
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
  }
}

function parseLines(text: string, onBad: (line: string) => void): ProbeRecord[] {
  const out: ProbeRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = ProbeRecordSchema.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data);
      else onBad(line);
    } catch {
      onBad(line);
    }
  }
  return out;
}

/** fsync a directory so a rename in it survives power loss, not only a process crash. */
async function syncDir(path: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, "r");
    await fh.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    await fh?.close();
  }
}
