import { z } from "zod";

/** An agent id names a vantage (`agent:<id>`) and a Durable Object, so it is URL-safe like a monitor id. */
export const AgentIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    "lowercase letters, digits, '-' and '_', 1-63 chars, starting alphanumeric",
  );

/**
 * One companion agent allowed to report results. Its HMAC key is a Worker secret named by
 * `keySecret` (never the key itself); the agent holds the same value.
 */
export const AgentConfigSchema = z
  .strictObject({
    id: AgentIdSchema,
    name: z.string().min(1).max(120).optional(),
    keySecret: z
      .string()
      .regex(
        /^[A-Z_][A-Z0-9_]*$/,
        "the name of the Worker secret holding this agent's key, in UPPER_SNAKE_CASE",
      )
      .describe("Worker secret with the agent's HMAC key (wrangler secret put <name>)"),
    keyId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, "letters, digits, '.', '_' and '-', at most 64")
      .optional()
      .describe("Key id the agent sends in X-Agent-Key-Id; default: the agent id"),
    heartbeatSec: z
      .number()
      .int()
      .min(5)
      .max(3600)
      .default(30)
      .describe("How often the agent reports in; silent for 3 heartbeats counts as monitoring degraded"),
  })
  .describe("A companion agent: its monitors are probed from the agent's host as vantage agent:<id>");

export type AgentConfig = z.infer<typeof AgentConfigSchema>;

export const AgentsSchema = z.array(AgentConfigSchema).max(1000).default([]);

export function keyIdOf(agent: AgentConfig): string {
  return agent.keyId ?? agent.id;
}

interface AgentRefs {
  agents: AgentConfig[];
  monitors: { agents?: string[] }[];
}

/** Config-level checks: agent ids and key ids unique, and every monitor names configured agents only. */
export function checkAgentRefs(c: AgentRefs, ctx: z.RefinementCtx): void {
  const ids = new Map<string, number>();
  const keyIds = new Map<string, number>();
  c.agents.forEach((a, i) => {
    const first = ids.get(a.id);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["agents", i, "id"],
        message: `duplicate agent id '${a.id}' (first used by agents[${first}])`,
      });
    } else ids.set(a.id, i);
    const key = keyIdOf(a);
    const firstKey = keyIds.get(key);
    if (firstKey !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["agents", i, "keyId"],
        message: `key id '${key}' is already used by agents[${firstKey}]`,
      });
    } else keyIds.set(key, i);
  });
  const known = [...ids.keys()].join(", ") || "none";
  c.monitors.forEach((m, i) => {
    (m.agents ?? []).forEach((id, j) => {
      if (!ids.has(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["monitors", i, "agents", j],
          message: `unknown agent '${id}' (configured agents: ${known})`,
        });
      }
    });
  });
}
