import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { AgentBatchSchema, type AgentError } from "../../core/agent/batch.ts";
import { AgentHeartbeatSchema } from "../../core/agent/heartbeat.ts";
import { assignedMonitors, planBatch } from "../../core/agent/scope.ts";
import { agentSilentAfterMs } from "../../core/checker-health.ts";
import type { AgentConfig } from "../../core/config/agents.ts";
import { formatPath } from "../../core/config/load.ts";
import { loadConfig } from "../config.ts";
import type { Env } from "../env.ts";
import { authenticateAgent } from "./agent-auth.ts";

/**
 * The agent endpoints. Everything under /agent/ is signed (see core/agent/protocol.ts); a refused
 * request gets a 4xx (or 503 for the Worker's own missing key) with `{ error, message }` naming the
 * problem, and nothing from it is stored. GET /agents is public: which agents report, and whether
 * monitoring is degraded because one went silent.
 */
export const agentRoutes = new Hono<{ Bindings: Env }>();

type Ctx = Context<{ Bindings: Env }>;

const refuse = (c: Ctx, status: ContentfulStatusCode, body: AgentError) => c.json(body, status);

const agentStub = (env: Env, agentId: string) => env.AGENTS.getByName(`agent:${agentId}`);

/** Authenticates, then parses the body with `schema`; the agent in the body must be the signer. */
async function signedBody<S extends z.ZodType<{ agentId: string }>>(
  c: Ctx,
  schema: S,
): Promise<{ ok: true; agent: AgentConfig; value: z.infer<S> } | { ok: false; response: Response }> {
  const config = loadConfig(c.env);
  const auth = await authenticateAgent(c.req.raw, c.env, config);
  if (!auth.ok) return { ok: false, response: refuse(c, auth.status, auth.error) };
  let json: unknown;
  try {
    json = JSON.parse(auth.body);
  } catch {
    return { ok: false, response: refuse(c, 400, { error: "invalid_batch", message: "body is not JSON" }) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 20)
      .map((i) => ({ parameter: formatPath(i.path), message: i.message }));
    const first = issues[0];
    return {
      ok: false,
      response: refuse(c, 400, {
        error: "invalid_batch",
        message: first ? `${first.parameter}: ${first.message}` : "invalid body",
        issues,
      }),
    };
  }
  if (parsed.data.agentId !== auth.agent.id) {
    return {
      ok: false,
      response: refuse(c, 403, {
        error: "agent_mismatch",
        message: `body names agent '${parsed.data.agentId}' but was signed with the key of agent '${auth.agent.id}'`,
      }),
    };
  }
  return { ok: true, agent: auth.agent, value: parsed.data };
}

agentRoutes.post("/agent/results", async (c) => {
  const got = await signedBody(c, AgentBatchSchema);
  if (!got.ok) return got.response;
  const { agent, value: batch } = got;
  const plan = planBatch(loadConfig(c.env), agent, batch, Date.now());
  if (!plan.ok) return refuse(c, plan.status, plan.body);
  const outcome = await agentStub(c.env, agent.id).ingest(agent.id, batch.batchId, plan.parts);
  if (outcome.status === "duplicate") {
    const appliedAt = new Date(outcome.appliedAt).toISOString();
    return refuse(c, 409, {
      error: "duplicate_batch",
      message: `batch ${batch.batchId} was already applied at ${appliedAt}; nothing stored again`,
      batchId: batch.batchId,
      appliedAt,
    });
  }
  if (outcome.status === "in_progress") {
    c.header("retry-after", "2");
    return refuse(c, 503, {
      error: "batch_in_progress",
      message: `batch ${batch.batchId} is being applied by another request; retry`,
      batchId: batch.batchId,
    });
  }
  return c.json({
    ok: true as const,
    batchId: batch.batchId,
    applied: outcome.records,
    duplicates: outcome.duplicates.map((d) => ({
      monitorId: d.monitorId,
      checkedAt: d.checkedAt,
      reason: "this agent already reported the monitor in that interval slot",
    })),
  });
});

agentRoutes.post("/agent/heartbeat", async (c) => {
  const got = await signedBody(c, AgentHeartbeatSchema);
  if (!got.ok) return got.response;
  const { agent, value } = got;
  const r = await agentStub(c.env, agent.id).heartbeat(agent.id, value);
  if (r.status === "replayed") {
    return refuse(c, 409, {
      error: "replayed",
      message: `heartbeat ${value.seq} of boot ${value.bootId} was already received`,
    });
  }
  return c.json({ ok: true as const, serverTime: Date.now(), heartbeatSec: agent.heartbeatSec });
});

agentRoutes.get("/agent/assignments", async (c) => {
  const config = loadConfig(c.env);
  const auth = await authenticateAgent(c.req.raw, c.env, config);
  if (!auth.ok) return refuse(c, auth.status, auth.error);
  return c.json({
    agentId: auth.agent.id,
    generatedAt: Date.now(),
    heartbeatSec: auth.agent.heartbeatSec,
    monitors: assignedMonitors(config, auth.agent.id),
  });
});

agentRoutes.get("/agents", async (c) => {
  const config = loadConfig(c.env);
  const now = Date.now();
  const agents = await Promise.all(
    config.agents.map(async (agent) => {
      const seen = await agentStub(c.env, agent.id).status();
      const monitors = assignedMonitors(config, agent.id).length;
      const silentFor = seen.lastSeenAt === undefined ? undefined : now - seen.lastSeenAt;
      const state =
        silentFor === undefined
          ? "never_seen"
          : silentFor > agentSilentAfterMs(agent.heartbeatSec)
            ? "silent"
            : "ok";
      const reasons =
        state === "ok"
          ? []
          : state === "never_seen"
            ? [`monitoring degraded: agent ${agent.id} has never reported`]
            : [`monitoring degraded: agent ${agent.id} silent for ${Math.round((silentFor ?? 0) / 1000)} s`];
      return {
        id: agent.id,
        name: agent.name ?? agent.id,
        state,
        monitoring: state === "ok" ? "ok" : "degraded",
        lastSeenAt: seen.lastSeenAt === undefined ? null : new Date(seen.lastSeenAt).toISOString(),
        lastBatchAt: seen.lastBatchAt === undefined ? null : new Date(seen.lastBatchAt).toISOString(),
        monitors,
        agentVersion: seen.lastHeartbeat?.agentVersion,
        spooledBatches: seen.lastHeartbeat?.spool.batches,
        reasons,
      };
    }),
  );
  return c.json({ generatedAt: new Date(now).toISOString(), agents });
});
