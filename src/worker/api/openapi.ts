import { Hono } from "hono";
import { z } from "zod";
import { AgentBatchAckSchema, AgentBatchSchema, AgentErrorSchema } from "../../core/agent/batch.ts";
import { AgentHeartbeatAckSchema, AgentHeartbeatSchema } from "../../core/agent/heartbeat.ts";
import { AGENT_HEADERS } from "../../core/agent/protocol.ts";
import { MaintenanceWindowSchema } from "../../core/config/maintenance.ts";
import { MonitorIdSchema } from "../../core/config/schema.ts";
import {
  HistoryPointSchema,
  IncidentSchema,
  PlannedMaintenanceSchema,
  PublicMonitorSchema,
  StatusResponseSchema,
} from "../../core/public.ts";
import { PushCallSchema } from "../../core/push/heartbeat.ts";
import { SilenceFieldsSchema } from "../../core/silence/silence.ts";
import type { Env } from "../env.ts";
import {
  BadgeIdParams,
  IncidentIdParams,
  IncidentNoteBodySchema,
  ShieldsEndpointSchema,
  ShieldsQuery,
  SilenceBodySchema,
  SilenceIdParams,
  UptimeBadgeQuery,
} from "./api-schemas.ts";
import { LimitParam, TimeParam } from "./validate.ts";

type Method = "get" | "put" | "post" | "delete";

interface Operation {
  method: Method;
  /** OpenAPI path template ({id}); the Hono route is the same with :id. */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  security?: "admin" | "agent";
  responses: Record<string, { description: string; schema?: z.ZodType; type?: string }>;
}

const ErrorSchema = z.object({ error: z.string(), message: z.string().optional() }).catchall(z.unknown());
const InvalidSchema = z.object({
  error: z.literal("invalid_request"),
  issues: z.array(z.object({ parameter: z.string(), message: z.string() })),
});
const AnyObject = z.object({}).catchall(z.unknown());
const IdParams = z.object({ id: MonitorIdSchema });
const WindowIdParams = z.object({ id: z.string().min(1).max(63) });

const ok = (schema: z.ZodType, description = "OK") => ({ "200": { description, schema } });
const notFound = { "404": { description: "Unknown id", schema: ErrorSchema } };
const invalid = {
  "400": { description: "A parameter or the body is invalid; each is named", schema: InvalidSchema },
};
const adminErrors = {
  "401": { description: "Missing or wrong bearer token", schema: ErrorSchema },
  "403": { description: "Admin endpoints are off (no ADMIN_TOKEN)", schema: ErrorSchema },
};
const agentErrors = {
  "401": { description: "Unsigned, wrongly signed or stale request", schema: AgentErrorSchema },
  "409": { description: "Replayed batch or heartbeat", schema: AgentErrorSchema },
  "413": { description: "Body too large", schema: AgentErrorSchema },
};
const svg = { description: "SVG badge", type: "image/svg+xml" };

/** Every route the app serves. The OpenAPI test fails when app.routes and this list disagree. */
export const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/",
    summary: "Status page (HTML, no scripts)",
    tag: "page",
    responses: { "200": { description: "HTML", type: "text/html" } },
  },
  {
    method: "get",
    path: "/monitors/{id}",
    summary: "One monitor's page: 90-day bars, latency chart, incidents (HTML, no scripts)",
    tag: "page",
    params: BadgeIdParams,
    responses: {
      "200": { description: "HTML", type: "text/html" },
      "404": { description: "No such monitor", type: "text/html" },
    },
  },
  {
    method: "get",
    path: "/feed.atom",
    summary: "Atom feed of incidents and maintenance windows (30 days back, 30 ahead)",
    tag: "page",
    responses: { "200": { description: "Atom 1.0", type: "application/atom+xml" } },
  },
  { method: "get", path: "/openapi.json", summary: "This document", tag: "meta", responses: ok(AnyObject) },
  {
    method: "get",
    path: "/docs",
    summary: "Interactive API docs (HTML)",
    tag: "meta",
    responses: { "200": { description: "HTML", type: "text/html" } },
  },
  {
    method: "get",
    path: "/metrics",
    summary: "Prometheus text exposition: state, latency, height, lag, availability ratios",
    tag: "public",
    responses: { "200": { description: "text/plain; version=0.0.4", type: "text/plain" } },
  },
  {
    method: "get",
    path: "/api/v1/status",
    summary: "Every monitor's public state and uptime",
    tag: "public",
    responses: ok(StatusResponseSchema),
  },
  {
    method: "get",
    path: "/api/v1/monitors/{id}",
    summary: "One monitor",
    tag: "public",
    params: IdParams,
    responses: {
      ...ok(
        PublicMonitorSchema.extend({
          intervalSec: z.number().int(),
          regions: z.array(z.string()),
          slaTarget: z.number(),
          tags: z.record(z.string(), z.string()),
        }),
      ),
      ...invalid,
      ...notFound,
    },
  },
  {
    method: "get",
    path: "/api/v1/monitors/{id}/history",
    summary: "Raw results (at most 7 days, default the last hour)",
    tag: "public",
    params: IdParams,
    query: z.object({
      from: TimeParam.optional(),
      to: TimeParam.optional(),
      limit: LimitParam(10_000, 1_000),
    }),
    responses: {
      ...ok(
        z.object({
          monitorId: z.string(),
          from: z.string(),
          to: z.string(),
          results: z.array(HistoryPointSchema),
        }),
      ),
      ...invalid,
      ...notFound,
    },
  },
  {
    method: "get",
    path: "/api/v1/incidents",
    summary: "Incidents, newest first, with manual notes",
    tag: "public",
    query: z.object({
      monitor: MonitorIdSchema.optional(),
      status: z.enum(["open", "closed", "all"]).default("all"),
      limit: LimitParam(500, 100),
    }),
    responses: { ...ok(z.object({ incidents: z.array(IncidentSchema) })), ...invalid },
  },
  {
    method: "get",
    path: "/api/v1/maintenance",
    summary: "Current and coming maintenance (next 7 days)",
    tag: "public",
    responses: ok(z.object({ windows: z.array(PlannedMaintenanceSchema) })),
  },
  {
    method: "get",
    path: "/api/v1/badges/{id}/status.svg",
    summary: "Status badge (SVG)",
    tag: "badges",
    params: BadgeIdParams,
    responses: { "200": svg, ...invalid, ...notFound },
  },
  {
    method: "get",
    path: "/api/v1/badges/{id}/uptime.svg",
    summary: "Uptime badge (SVG)",
    tag: "badges",
    params: BadgeIdParams,
    query: UptimeBadgeQuery,
    responses: { "200": svg, ...invalid, ...notFound },
  },
  {
    method: "get",
    path: "/api/v1/badges/{id}/shields.json",
    summary: "shields.io endpoint badge JSON",
    tag: "badges",
    params: BadgeIdParams,
    query: ShieldsQuery,
    responses: { ...ok(ShieldsEndpointSchema), ...invalid, ...notFound },
  },
  // Mirrors the query of src/worker/api/reports.ts (not exported there); the route test catches a missing route, not a changed parameter.
  {
    method: "get",
    path: "/api/v1/reports/sla",
    summary:
      "Signed SLA report (JSON, CSV or printable HTML) for a monitor, tag or operator over a month or range",
    tag: "reports",
    query: z.object({
      monitor: z.string().min(1).max(63).optional(),
      tag: z
        .string()
        .regex(/^[^:]+:.+$/)
        .optional()
        .describe("key:value"),
      operator: z.string().min(1).max(100).optional(),
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
        .optional()
        .describe("YYYY-MM"),
      from: z.string().optional().describe("Start (with to, instead of month)"),
      to: z.string().optional(),
      tz: z.string().default("UTC").describe("IANA time zone"),
      unknown: z.enum(["exclude", "down", "up"]).default("exclude").describe("How unknown time counts"),
      format: z.enum(["json", "csv", "html"]).default("json"),
    }),
    responses: {
      "200": { description: "The signed report (JSON); CSV or HTML with format=csv|html", schema: AnyObject },
      ...invalid,
      ...notFound,
      "503": { description: "REPORT_SIGNING_KEY is not set", schema: ErrorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/reports/verify",
    summary: "Verify a signed SLA report",
    tag: "reports",
    body: AnyObject,
    responses: {
      ...ok(z.object({ valid: z.boolean(), reason: z.string().optional() })),
      ...invalid,
      "503": { description: "REPORT_SIGNING_KEY is not set", schema: ErrorSchema },
    },
  },
  ...(["get", "post"] as const).map(
    (method): Operation => ({
      method,
      path: "/api/v1/push/{token}",
      summary:
        "A heartbeat for a push monitor; its fields may also come as a JSON or form body (at most 1 KiB)",
      tag: "push",
      params: z.object({ token: z.string().describe("The push monitor's token secret") }),
      query: PushCallSchema,
      responses: {
        ...ok(
          z.object({
            ok: z.literal(true),
            monitor: z.string(),
            state: z.string(),
            recorded: z
              .boolean()
              .describe("Whether the call was stored (at most one per interval and state)"),
            expectedBy: z.string().describe("The next heartbeat is due by then"),
          }),
        ),
        ...invalid,
        "404": {
          description: "No push monitor has this token (the same answer as any unknown path)",
          schema: ErrorSchema,
        },
        "413": { description: "Body over 1 KiB", schema: ErrorSchema },
        "429": {
          description: "Too many calls for this monitor; Retry-After says when to call again",
          schema: ErrorSchema,
        },
      },
    }),
  ),
  {
    method: "get",
    path: "/api/v1/usage",
    summary: "Usage counters and projected monthly cost",
    tag: "operations",
    responses: ok(AnyObject),
  },
  {
    method: "get",
    path: "/api/v1/agents",
    summary: "Companion agents and when they last reported",
    tag: "operations",
    responses: ok(AnyObject),
  },
  {
    method: "get",
    path: "/api/v1/alerts",
    summary: "Alert outbox deliveries",
    tag: "admin",
    security: "admin",
    query: z.object({ status: z.enum(["pending", "sent", "dead"]).optional(), limit: LimitParam(500, 100) }),
    responses: { ...ok(AnyObject), ...invalid, ...adminErrors },
  },
  {
    method: "put",
    path: "/api/v1/admin/maintenance/{id}",
    summary: "Add or replace a maintenance window",
    tag: "admin",
    security: "admin",
    params: WindowIdParams,
    body: MaintenanceWindowSchema,
    responses: { "201": { description: "Stored", schema: AnyObject }, ...invalid, ...adminErrors },
  },
  {
    method: "delete",
    path: "/api/v1/admin/maintenance/{id}",
    summary: "Remove an admin maintenance window",
    tag: "admin",
    security: "admin",
    params: WindowIdParams,
    responses: { "204": { description: "Removed" }, ...adminErrors, ...notFound },
  },
  {
    method: "get",
    path: "/api/v1/admin/silences",
    summary: "Active alert silences",
    tag: "admin",
    security: "admin",
    responses: { ...ok(z.object({ silences: z.array(SilenceFieldsSchema) })), ...adminErrors },
  },
  {
    method: "put",
    path: "/api/v1/admin/silences/{id}",
    summary: "Mute alerts for monitors (ids and/or tags) until a time",
    tag: "admin",
    security: "admin",
    params: SilenceIdParams,
    body: SilenceBodySchema,
    responses: {
      "201": {
        description: "Stored",
        schema: z.object({ silence: SilenceFieldsSchema, silences: z.number() }),
      },
      ...invalid,
      ...adminErrors,
    },
  },
  {
    method: "delete",
    path: "/api/v1/admin/silences/{id}",
    summary: "Remove a silence",
    tag: "admin",
    security: "admin",
    params: SilenceIdParams,
    responses: { "204": { description: "Removed" }, ...adminErrors, ...notFound },
  },
  {
    method: "post",
    path: "/api/v1/admin/incidents/{id}/notes",
    summary: "Add a manual note to an incident",
    tag: "admin",
    security: "admin",
    params: IncidentIdParams,
    body: IncidentNoteBodySchema,
    responses: {
      "201": {
        description: "The incident's notes",
        schema: z.object({
          incidentId: z.string(),
          notes: z.array(z.object({ at: z.string(), text: z.string() })),
        }),
      },
      ...invalid,
      ...adminErrors,
      ...notFound,
    },
  },
  {
    method: "post",
    path: "/api/v1/agent/results",
    summary: "A signed batch of agent probe results",
    tag: "agent",
    security: "agent",
    body: AgentBatchSchema,
    responses: {
      ...ok(AgentBatchAckSchema),
      "400": { description: "Invalid batch", schema: AgentErrorSchema },
      ...agentErrors,
    },
  },
  {
    method: "post",
    path: "/api/v1/agent/heartbeat",
    summary: "A signed agent heartbeat",
    tag: "agent",
    security: "agent",
    body: AgentHeartbeatSchema,
    responses: {
      ...ok(AgentHeartbeatAckSchema),
      "400": { description: "Invalid heartbeat", schema: AgentErrorSchema },
      ...agentErrors,
    },
  },
  {
    method: "get",
    path: "/api/v1/agent/assignments",
    summary: "The monitors this agent probes",
    tag: "agent",
    security: "agent",
    responses: { ...ok(AnyObject), ...agentErrors },
  },
];

type Json = Record<string, unknown>;

/** JSON Schema 2020-12 (the OpenAPI 3.1 dialect) from zod, as requests are read or responses written. */
export function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Json;
  return rest;
}

function parameters(op: Operation): Json[] {
  const out: Json[] = [];
  const add = (where: "path" | "query", obj: z.ZodObject | undefined) => {
    for (const [name, field] of Object.entries(obj?.shape ?? {})) {
      const f = field as z.ZodType;
      out.push({
        name,
        in: where,
        required: where === "path" || !f.safeParse(undefined).success,
        schema: jsonSchema(f, "input"),
      });
    }
  };
  add("path", op.params);
  add("query", op.query);
  return out;
}

export function openApiDocument(serverUrl?: string): Json {
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    const responses: Json = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = r.schema
        ? {
            description: r.description,
            content: { "application/json": { schema: jsonSchema(r.schema, "output") } },
          }
        : r.type
          ? { description: r.description, content: { [r.type]: { schema: { type: "string" } } } }
          : { description: r.description };
    }
    const operation: Json = {
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      responses,
    };
    const params = parameters(op);
    if (params.length) operation.parameters = params;
    if (op.body) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: jsonSchema(op.body, "input") } },
      };
    }
    if (op.security === "admin") operation.security = [{ adminBearer: [] }];
    if (op.security === "agent") operation.security = [{ agentSignature: [] }];
    paths[op.path] = { ...(paths[op.path] ?? {}), [op.method]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "chain-uptime",
      version: "1",
      description:
        "Uptime of blockchain nodes. Public reads need no auth and allow any origin; admin endpoints take a bearer token; agent endpoints are HMAC-signed.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: serverUrl ?? "/" }],
    tags: ["public", "badges", "reports", "page", "meta", "operations", "push", "admin", "agent"].map(
      (name) => ({
        name,
      }),
    ),
    paths,
    components: {
      securitySchemes: {
        adminBearer: { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN secret" },
        agentSignature: {
          type: "apiKey",
          in: "header",
          name: AGENT_HEADERS.signature,
          description: `HMAC-SHA256 over timestamp and body, with ${AGENT_HEADERS.keyId} and ${AGENT_HEADERS.timestamp}`,
        },
      },
    },
  };
}

export const openApiRoutes = new Hono<{ Bindings: Env }>();

let cached: string | undefined;
openApiRoutes.get("/openapi.json", (c) => {
  cached ??= JSON.stringify(openApiDocument());
  return c.body(cached, 200, { "content-type": "application/json; charset=utf-8" });
});
