import { z } from "zod";
import { CheckSchema, chainOfKind, kindOf, runsIn } from "../kinds/index.ts";
import { AgentIdSchema, AgentsSchema, checkAgentRefs } from "./agents.ts";
import { AlertsSchema } from "./alerts.ts";
import { ChainSchema } from "./chain.ts";
import { MaintenanceWindowsSchema } from "./maintenance.ts";
import { StatusPageSchema } from "./page.ts";
import { RegionSchema } from "./regions.ts";
import { ChainRulesSchema } from "./rules.ts";

/** A monitor id appears in URLs, Durable Object names and alert dedupe keys, so keep it URL-safe. */
export const MonitorIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    "lowercase letters, digits, '-' and '_', 1-63 chars, starting alphanumeric",
  );

export const TagsSchema = z
  .object({
    operator: z.string().min(1).max(100).optional(),
    validatorKey: z
      .string()
      .regex(
        /^(0[12][0-9a-fA-F]{64,66}|(nano|xrb)_[13][13456789abcdefghijkmnopqrstuwxyz]{59})$/,
        "a Casper public key in hex (01… ed25519 or 02… secp256k1) or a Nano account (nano_…)",
      )
      .optional()
      .describe(
        "The validator key this node serves: its availability stands beside the key's in SLA reports",
      ),
    network: z.string().min(1).max(64).optional(),
  })
  .catchall(z.string().max(200))
  .describe("Free-form labels; operator, validatorKey and network have meaning to reports and lag checks");

export const MonitorSchema = z
  .strictObject({
    id: MonitorIdSchema,
    name: z.string().min(1).max(120),
    chain: ChainSchema,
    check: CheckSchema,
    intervalSec: z.number().int().min(10).max(86_400).default(60),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    regions: z
      .array(RegionSchema)
      .max(9)
      .default(["weur"])
      .describe("Regions that probe this monitor; [] for a monitor probed by agents only"),
    agents: z
      .array(AgentIdSchema)
      .max(20)
      .default([])
      .describe("Agents that probe this monitor too, each as its own vantage agent:<id>"),
    failureThreshold: z.number().int().min(1).max(20).default(2),
    recoveryThreshold: z.number().int().min(1).max(20).default(2),
    quorum: z
      .number()
      .int()
      .min(1)
      .max(9)
      .optional()
      .describe("Vantages that must agree before the monitor is down; default a strict majority of regions"),
    public: z
      .boolean()
      .default(false)
      .describe("Public monitors show their target in the API; others never do"),
    tags: TagsSchema.default({}),
    slaTarget: z.number().min(0).max(100).default(99.9).describe("Monthly availability target in percent"),
    rules: ChainRulesSchema.prefault({}),
  })
  .superRefine((m, ctx) => {
    const want = chainOfKind(m.check.kind);
    if (want !== undefined && want !== m.chain) {
      ctx.addIssue({
        code: "custom",
        path: ["check", "kind"],
        message: `check kind '${m.check.kind}' belongs to chain '${want}', but the monitor's chain is '${m.chain}'`,
      });
    }
    if (m.check.kind === "push") {
      pushIssues(m, ctx);
      return;
    }
    if (m.timeoutMs >= m.intervalSec * 1000) {
      ctx.addIssue({
        code: "custom",
        path: ["timeoutMs"],
        message: `timeoutMs (${m.timeoutMs}) must be shorter than the interval (${m.intervalSec * 1000} ms)`,
      });
    }
    const vantages = m.regions.length + m.agents.length;
    if (m.quorum !== undefined && m.quorum > vantages) {
      ctx.addIssue({
        code: "custom",
        path: ["quorum"],
        message: `quorum (${m.quorum}) cannot exceed the number of vantages (${m.regions.length} regions + ${m.agents.length} agents)`,
      });
    }
    if (!runsIn(m.check.kind, "worker") && m.regions.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["regions"],
        message: `check kind '${m.check.kind}' runs on agents only (Workers cannot do it); set "regions": [] (the default is ["weur"]) and list the agents in "agents"`,
      });
    } else if (vantages === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["regions"],
        message: "a monitor needs at least one region or agent",
      });
    }
    if (m.agents.length > 0 && !runsIn(m.check.kind, "agent")) {
      ctx.addIssue({
        code: "custom",
        path: ["agents"],
        message: `check kind '${m.check.kind}' does not run on agents; probe it from regions only`,
      });
    }
    if (new Set(m.agents).size !== m.agents.length) {
      ctx.addIssue({ code: "custom", path: ["agents"], message: "agents must not repeat" });
    }
    if (new Set(m.regions).size !== m.regions.length) {
      ctx.addIssue({ code: "custom", path: ["regions"], message: "regions must not repeat" });
    }
    for (const issue of kindOf(m.check.kind).monitorIssues?.(m.check, m) ?? []) {
      ctx.addIssue({ code: "custom", ...issue });
    }
  })
  // A push monitor has one vantage, its caller; the grace is its tolerance, so one missed deadline is down.
  .transform((m) =>
    m.check.kind === "push"
      ? { ...m, regions: [], agents: [], failureThreshold: 1, recoveryThreshold: 1 }
      : m,
  );

/** Push monitors are not probed: regions, agents and a quorum have nothing to mean. */
function pushIssues(
  m: { regions: string[]; agents: string[]; quorum?: number | undefined },
  ctx: z.RefinementCtx,
) {
  const defaultRegions = m.regions.length === 0 || (m.regions.length === 1 && m.regions[0] === "weur");
  const issue = (path: string, what: string) =>
    ctx.addIssue({
      code: "custom",
      path: [path],
      message: `a push monitor is not probed (its one vantage is whatever calls its push URL): remove "${path}"${what}`,
    });
  if (!defaultRegions) issue("regions", "");
  if (m.agents.length > 0) issue("agents", "");
  if (m.quorum !== undefined && m.quorum !== 1) issue("quorum", " (it is always 1)");
}

export const SchedulerSchema = z
  .strictObject({
    monitorsPerShard: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(500)
      .describe(
        "How many monitors one prober object schedules per region before another shard is added (its probes run in invocations of their own; see docs/cost.md)",
      ),
    maxInFlight: z
      .number()
      .int()
      .min(1)
      .max(6)
      .default(6)
      .describe("Requests open at once per probe-runner invocation; the platform allows 6"),
  })
  .prefault({});

export const RetentionSchema = z
  .strictObject({
    rawDays: z.number().int().min(1).max(90).default(7).describe("Days of raw probe results kept"),
  })
  .prefault({});

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    monitors: z.array(MonitorSchema).max(20_000),
    scheduler: SchedulerSchema,
    retention: RetentionSchema,
    agents: AgentsSchema.describe("Companion agents allowed to report results (see docs/agent.md)"),
    alerts: AlertsSchema,
    maintenance: MaintenanceWindowsSchema.default([]),
    page: StatusPageSchema.describe("Branding of the public status page"),
  })
  .superRefine((c, ctx) => {
    checkAgentRefs(c, ctx);
    const seen = new Map<string, number>();
    c.monitors.forEach((m, i) => {
      const first = seen.get(m.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["monitors", i, "id"],
          message: `duplicate monitor id '${m.id}' (first used by monitors[${first}])`,
        });
      } else {
        seen.set(m.id, i);
      }
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type Monitor = z.infer<typeof MonitorSchema>;
export type Tags = z.infer<typeof TagsSchema>;
export type { Chain } from "./chain.ts";
export { ChainSchema } from "./chain.ts";
