import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AgentAssignmentsEnvelopeSchema } from "../core/agent/assignments.ts";
import { AGENT_PATHS } from "../core/agent/protocol.ts";
import { type Monitor, MonitorSchema } from "../core/config/schema.ts";
import type { Logger } from "./log.ts";
import { type Credentials, signedFetch } from "./signed-fetch.ts";

export type AssignmentSource = "worker" | "cache" | "config";

const CACHE_FILE = "assignments.json";

/**
 * Which monitors this agent probes. The Worker's list wins (GET /api/v1/agent/assignments, signed);
 * it is cached in the spool folder so a restart during a Worker outage keeps the same monitors; with
 * neither, the config file's own monitors are used. A monitor of a kind this agent version does not
 * know is skipped with a warning, not the whole list.
 */
export class Assignments {
  monitors: Monitor[] = [];
  source: AssignmentSource = "config";
  heartbeatSec: number | undefined;
  private readonly creds: Credentials | undefined;
  private readonly dir: string;
  private readonly fallback: Monitor[];
  private readonly log: Logger;
  private loaded = false;

  constructor(opts: { creds?: Credentials; spoolDir: string; fallback: Monitor[]; log: Logger }) {
    this.creds = opts.creds;
    this.dir = opts.spoolDir;
    this.fallback = opts.fallback;
    this.log = opts.log;
  }

  async refresh(): Promise<void> {
    if (this.creds) {
      try {
        const answer = await signedFetch(this.creds, "GET", AGENT_PATHS.assignments, "", 15_000);
        if (answer.status === 200) {
          const env = AgentAssignmentsEnvelopeSchema.safeParse(answer.json);
          if (env.success) {
            this.use(this.parse(env.data.monitors), "worker");
            this.heartbeatSec = env.data.heartbeatSec;
            await this.save(answer.json);
            return;
          }
          this.log.warn("assignments_invalid", { issue: env.error.issues[0]?.message });
        } else {
          const j = answer.json as { error?: string; message?: string } | undefined;
          this.log.warn("assignments_refused", {
            status: answer.status,
            code: j?.error,
            message: j?.message,
          });
        }
      } catch (err) {
        this.log.warn("assignments_unreachable", { error: (err as Error).message });
      }
    }
    if (this.loaded) return; // keep what we have
    const cached = await this.loadCache();
    if (cached) return this.use(cached, "cache");
    this.use(this.fallback, "config");
  }

  private use(monitors: Monitor[], source: AssignmentSource): void {
    const changed =
      !this.loaded || source !== this.source || JSON.stringify(monitors) !== JSON.stringify(this.monitors);
    this.monitors = monitors;
    this.source = source;
    this.loaded = true;
    if (changed) this.log.info("assignments", { source, monitors: monitors.map((m) => m.id) });
  }

  private parse(raw: unknown[]): Monitor[] {
    const out: Monitor[] = [];
    for (const m of raw) {
      const parsed = MonitorSchema.safeParse(m);
      if (parsed.success) out.push(parsed.data);
      else {
        const id = typeof m === "object" && m !== null && "id" in m ? String((m as { id: unknown }).id) : "?";
        this.log.warn("assignment_skipped", {
          monitorId: id.slice(0, 64),
          issue: parsed.error.issues[0]?.message,
        });
      }
    }
    return out;
  }

  private async save(json: unknown): Promise<void> {
    const file = join(this.dir, CACHE_FILE);
    try {
      await writeFile(`${file}.tmp`, JSON.stringify(json));
      await rename(`${file}.tmp`, file);
    } catch (err) {
      this.log.warn("assignments_cache_failed", { error: (err as Error).message });
    }
  }

  private async loadCache(): Promise<Monitor[] | undefined> {
    try {
      const env = AgentAssignmentsEnvelopeSchema.safeParse(
        JSON.parse(await readFile(join(this.dir, CACHE_FILE), "utf8")),
      );
      return env.success ? this.parse(env.data.monitors) : undefined;
    } catch {
      return undefined;
    }
  }
}
