import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { OPERATIONS, openApiDocument } from "../../src/worker/api/openapi.ts";

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Our own structural checks of OpenAPI 3.1, beside the validator's JSON Schema check. */
function structuralProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== "string" || !/^3\.1\.\d+$/.test(doc.openapi))
    problems.push("openapi must be 3.1.x");
  const info = doc.info as Json | undefined;
  if (typeof info?.title !== "string" || typeof info?.version !== "string")
    problems.push("info.title/version");
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    if (!path.startsWith("/")) problems.push(`${path}: must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, opRaw] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method)) problems.push(`${where}: unknown method`);
      const op = opRaw as Json;
      const id = op.operationId as string;
      if (ids.has(id)) problems.push(`${where}: duplicate operationId ${id}`);
      ids.add(id);
      const params = (op.parameters ?? []) as Json[];
      const seen = new Set<string>();
      for (const p of params) {
        const key = `${p.in}:${p.name}`;
        if (seen.has(key)) problems.push(`${where}: parameter ${key} twice`);
        seen.add(key);
        if (!["path", "query", "header", "cookie"].includes(p.in as string))
          problems.push(`${where}: ${key} bad in`);
        if (p.in === "path" && (p.required !== true || !templated.includes(p.name as string)))
          problems.push(`${where}: path parameter ${p.name} must be required and in the template`);
        if (typeof p.schema !== "object") problems.push(`${where}: ${key} has no schema`);
      }
      for (const t of templated) {
        if (!params.some((p) => p.in === "path" && p.name === t))
          problems.push(`${where}: {${t}} not declared`);
      }
      const responses = (op.responses ?? {}) as Record<string, Json>;
      if (Object.keys(responses).length === 0) problems.push(`${where}: no responses`);
      for (const [status, r] of Object.entries(responses)) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: response key ${status}`);
        if (typeof r.description !== "string") problems.push(`${where}: ${status} has no description`);
      }
      for (const req of (op.security ?? []) as Json[]) {
        for (const name of Object.keys(req))
          if (!(name in schemes)) problems.push(`${where}: unknown scheme ${name}`);
      }
      if (JSON.stringify(op).includes('"$schema"')) problems.push(`${where}: embedded $schema`);
    }
  }
  return problems;
}

describe("OpenAPI document", () => {
  const doc = openApiDocument() as Json;

  it("validates against the OpenAPI 3.1 schema", async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("passes the structural checks (templates, parameters, responses, security, unique ids)", () => {
    expect(structuralProblems(doc)).toEqual([]);
  });

  it("the structural checks catch a broken document", () => {
    const broken = structuredClone(doc) as { openapi: string; paths: Record<string, Record<string, Json>> };
    broken.openapi = "3.0.3";
    const history = broken.paths["/api/v1/monitors/{id}/history"]?.get as Json;
    history.parameters = (history.parameters as Json[]).filter((p) => p.name !== "id");
    history.responses = {};
    const problems = structuralProblems(broken as unknown as Json);
    expect(problems).toContain("openapi must be 3.1.x");
    expect(problems.some((p) => p.includes("{id} not declared"))).toBe(true);
    expect(problems.some((p) => p.includes("no responses"))).toBe(true);
  });

  it("every operation's schemas come from zod: request bodies and responses carry properties", () => {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const put = paths["/api/v1/admin/silences/{id}"]?.put as Json;
    const body = (put.requestBody as Json).content as Record<string, { schema: Json }>;
    expect(Object.keys(body["application/json"]?.schema.properties as Json)).toEqual(
      expect.arrayContaining(["until", "monitors", "tags"]),
    );
    const status = paths["/api/v1/status"]?.get as Json;
    const ok = (status.responses as Record<string, Json>)["200"]?.content as Record<string, { schema: Json }>;
    expect(Object.keys(ok["application/json"]?.schema.properties as Json)).toEqual(
      expect.arrayContaining(["monitors", "monitoring", "maintenance"]),
    );
    expect(OPERATIONS.length).toBe(Object.values(paths).reduce((n, item) => n + Object.keys(item).length, 0));
  });
});
