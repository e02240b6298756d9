import { describe, expect, it } from "vitest";
import { api, probeNow } from "./helpers.ts";

type ApiError = { error: string; issues?: { parameter: string; message: string }[] };

/** Request validation and what the public may see. Read-only: safe beside the pipeline tests. */
describe("status API", () => {
  it("names the bad parameter in a 400", async () => {
    const cases: [string, string][] = [
      ["/api/v1/monitors/a-rest/history?from=yesterday", "from"],
      ["/api/v1/monitors/a-rest/history?limit=0", "limit"],
      ["/api/v1/monitors/a-rest/history?limit=ten", "limit"],
      ["/api/v1/monitors/a-rest/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
      ["/api/v1/monitors/a-rest/history?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "from"],
      ["/api/v1/monitors/Not%20An%20Id", "id"],
      ["/api/v1/incidents?status=maybe", "status"],
      ["/api/v1/incidents?limit=100000", "limit"],
    ];
    for (const [path, parameter] of cases) {
      const { status, body } = await api<ApiError>(path);
      expect(status, path).toBe(400);
      expect(body.error).toBe("invalid_request");
      expect(
        body.issues?.map((i) => i.parameter),
        path,
      ).toContain(parameter);
    }
  });

  it("404s an unknown monitor and an unknown route", async () => {
    expect((await api<ApiError>("/api/v1/monitors/no-such-monitor")).status).toBe(404);
    expect((await api<ApiError>("/api/v1/monitors/no-such-monitor/history")).status).toBe(404);
    expect((await api<ApiError>("/api/v1/nothing-here")).status).toBe(404);
  });

  it("never shows the target of a monitor that is not public; shows it for a public one", async () => {
    await probeNow("weur", ["a-rest", "a-p2p"]);
    const status = await api<{ monitors: Record<string, unknown>[] }>("/api/v1/status");
    const text = JSON.stringify(status.body);
    const privateOnes = status.body.monitors.filter((m) => m.id !== "a-rest");
    expect(JSON.stringify(privateOnes)).not.toMatch(/127\.0\.0\.1|localhost|http:\/\/|:\d{4,5}\b/);
    const pub = status.body.monitors.find((m) => m.id === "a-rest");
    expect(pub?.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/status$/);
    expect(text).not.toContain("test-admin-token");
    const one = await api<Record<string, unknown>>("/api/v1/monitors/a-p2p");
    expect(JSON.stringify(one.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);
    expect(one.body).toMatchObject({ id: "a-p2p", kind: "tcp", regions: ["weur"], intervalSec: 600 });
  });

  it("history returns raw results within the range, newest last", async () => {
    const from = Date.now();
    await probeNow("weur", ["a-p2p"]);
    await probeNow("weur", ["a-p2p"]);
    const { status, body } = await api<{ results: { at: string; vantage: string; state: string }[] }>(
      `/api/v1/monitors/a-p2p/history?from=${from}`,
    );
    expect(status).toBe(200);
    expect(body.results.length).toBeGreaterThanOrEqual(2);
    expect(body.results.every((r) => Date.parse(r.at) >= from)).toBe(true);
    expect(body.results.at(-1)).toMatchObject({ vantage: "weur", state: "up" });
    const times = body.results.map((r) => Date.parse(r.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
