import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AlertEventSchema } from "../../src/core/alerts/event.ts";
import { renderAlert } from "../../src/core/alerts/providers/index.ts";
import { ChannelSchema } from "../../src/core/config/alerts.ts";
import { type Receivers, receiverKindOf, startReceivers } from "../../src/sim/receivers.ts";

const WHSEC = `whsec_${Buffer.from("receiver-test-secret-32-bytes!!!").toString("base64")}`;
let rx: Receivers;

beforeAll(async () => {
  rx = await startReceivers({ webhookSecret: WHSEC });
});
afterAll(() => rx.stop());
beforeEach(() => rx.reset());

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(rx.url + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
};

const event = AlertEventSchema.parse({
  id: "m1@1:down",
  kind: "down",
  severity: "critical",
  at: new Date().toISOString(),
  title: "m1 is down",
  reasons: ["refused"],
});

describe("receivers answer like the real services", () => {
  it("Slack 200 'ok', Discord 204, PagerDuty 202 with the dedup key, webhook 200", async () => {
    const slack = await post(rx.urls.slack, { text: "hi" });
    expect([slack.status, await slack.text()]).toEqual([200, "ok"]);
    const discord = await post(rx.urls.discord, { embeds: [] });
    expect([discord.status, await discord.text()]).toEqual([204, ""]);
    const pd = await post(rx.urls.pagerduty, { dedup_key: "inc-1", event_action: "trigger" });
    expect(pd.status).toBe(202);
    expect(await pd.json()).toEqual({ status: "success", message: "Event processed", dedup_key: "inc-1" });
    expect(receiverKindOf("/consumer/a")).toBe("webhook");
    expect(receiverKindOf("/slack/team-b")).toBe("slack");
  });

  it("records method, headers and parsed body per path, in order", async () => {
    await post(rx.urls.slack, { text: "one" }, { "x-trace": "a" });
    await post(`${rx.url}/slack/other`, { text: "two" });
    await fetch(rx.urls.discord, { method: "POST", body: "not json" });
    const slack = rx.received("/slack");
    expect(slack).toHaveLength(1);
    expect(slack[0]).toMatchObject({
      seq: 1,
      kind: "slack",
      path: "/slack",
      method: "POST",
      body: { text: "one" },
      rawBody: '{"text":"one"}',
      mode: "ok",
      status: 200,
    });
    expect(slack[0]?.headers["x-trace"]).toBe("a");
    expect(rx.received("/slack/other")[0]?.body).toEqual({ text: "two" });
    expect(rx.received("/discord")[0]).toMatchObject({ body: undefined, rawBody: "not json", status: 204 });
    expect(rx.received().map((r) => r.seq)).toEqual([1, 2, 3]);
    const viaApi = await control("GET", "/_received?path=/slack");
    expect(viaApi.json).toEqual(JSON.parse(JSON.stringify(slack)));
    expect((await control("GET", "/_received")).json).toHaveLength(3);
  });
});

describe("modes", () => {
  it("429 with Retry-After in seconds, per service", async () => {
    expect((await control("PUT", "/_mode", { path: "/slack", mode: "429", retryAfterSec: 7 })).status).toBe(
      200,
    );
    const res = await post(rx.urls.slack, {});
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    rx.setMode({ path: "/discord", mode: "429" });
    const d = await post(rx.urls.discord, {});
    expect([d.status, d.headers.get("retry-after")]).toEqual([429, "1"]);
    expect(await d.json()).toMatchObject({ retry_after: 1, global: false });
    // other paths are unaffected
    expect((await post(rx.urls.pagerduty, {})).status).toBe(202);
    expect(rx.received("/slack")[0]).toMatchObject({ mode: "429", status: 429 });
  });

  it("500, and `times` reverts to ok after N requests", async () => {
    await control("PUT", "/_mode", { path: "/webhook", mode: "500", times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const req = await renderAlert(
        { ...event, id: `e${i}` },
        ChannelSchema.parse({
          type: "webhook",
          id: "w",
          url: { secret: "U" },
          signingSecret: { secret: "S" },
        }),
        (ref) => (ref.secret === "U" ? rx.urls.webhook : WHSEC),
        new Date(),
      );
      statuses.push((await fetch(req.url, req)).status);
    }
    expect(statuses).toEqual([500, 500, 200]);
    expect((await control("GET", "/_mode")).json).toEqual({});
  });

  it("hang never answers; the client times out; the request is still recorded", async () => {
    await control("PUT", "/_mode", { path: "/pagerduty", mode: "hang" });
    const t0 = Date.now();
    const err = await fetch(rx.urls.pagerduty, {
      method: "POST",
      body: "{}",
      signal: AbortSignal.timeout(300),
    }).catch((e: unknown) => e);
    expect((err as Error).name).toBe("TimeoutError");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    const [hung] = await rx.waitFor("/pagerduty", 1);
    expect(hung).toMatchObject({ mode: "hang" });
    expect(hung?.status).toBeUndefined();
  });

  it("reset forgets requests and modes", async () => {
    await control("PUT", "/_mode", { path: "/slack", mode: "500" });
    await post(rx.urls.slack, {});
    expect((await control("POST", "/_reset")).status).toBe(204);
    expect(rx.received()).toEqual([]);
    expect((await post(rx.urls.slack, {})).status).toBe(200);
  });

  it("control API errors name the field", async () => {
    const bad = await control("PUT", "/_mode", { path: "/slack", mode: "teapot" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^mode: /);
    expect((await control("PUT", "/_mode", { path: "slack", mode: "ok" })).json.error).toMatch(/^path: /);
    expect((await control("PUT", "/_mode", { path: "/_reset", mode: "ok" })).status).toBe(400);
    expect(
      (await control("PUT", "/_mode", { path: "/x", mode: "429", retryAfterSec: -1 })).json.error,
    ).toMatch(/^retryAfterSec: /);
    expect((await control("PUT", "/_mode", { path: "/x", mode: "ok", extra: 1 })).status).toBe(400);
    expect((await control("POST", "/_received")).status).toBe(405);
    expect((await control("GET", "/_nope")).status).toBe(404);
    expect(() => rx.setMode({ path: "/x", mode: "nope" as "ok" })).toThrow();
  });
});

describe("webhook consumer", () => {
  const channel = ChannelSchema.parse({
    type: "webhook",
    id: "w",
    url: { secret: "U" },
    signingSecret: { secret: "S" },
  });
  const send = async (id: string, now = new Date(), secret = WHSEC) => {
    const req = await renderAlert(
      { ...event, id },
      channel,
      (ref) => (ref.secret === "U" ? rx.urls.webhook : secret),
      now,
    );
    return fetch(req.url, req);
  };

  it("verifies the Standard Webhooks signature and flags duplicates by webhook-id", async () => {
    expect((await send("a")).status).toBe(200);
    expect((await send("a")).status).toBe(200);
    expect((await send("b")).status).toBe(200);
    expect(rx.received("/webhook").map((r) => [r.headers["webhook-id"], r.signature, r.duplicate])).toEqual([
      ["a", "valid", false],
      ["a", "valid", true],
      ["b", "valid", false],
    ]);
    expect(rx.received("/webhook")[0]?.body).toEqual({ ...event, id: "a" });
  });

  it("answers 401 to a wrong key or a stale timestamp", async () => {
    const other = `whsec_${Buffer.from("a-different-secret-of-32-bytes!!").toString("base64")}`;
    expect((await send("c", new Date(), other)).status).toBe(401);
    expect((await send("d", new Date(Date.now() - 600_000))).status).toBe(401);
    expect(rx.received("/webhook").map((r) => r.signature)).toEqual(["invalid", "invalid"]);
    // a rejected delivery is not counted as answered: its retry is not a duplicate
    expect((await send("c")).status).toBe(200);
    expect(rx.received("/webhook")[2]?.duplicate).toBe(false);
  });
});

describe("stop", () => {
  it("closes the server and hung sockets promptly", async () => {
    const own = await startReceivers();
    own.setMode({ path: "/slack", mode: "hang" });
    // a raw request that stays open (no client timeout)
    const outcome = new Promise<string>((resolve) => {
      const req = request(own.urls.slack, { method: "POST" }, () => resolve("answered"));
      req.on("error", (e) => resolve(`error:${(e as NodeJS.ErrnoException).code}`));
      req.end("{}");
    });
    await own.waitFor("/slack", 1);
    const t0 = Date.now();
    await own.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await outcome).toBe("error:ECONNRESET");
    const after = await fetch(own.urls.slack, { method: "POST", body: "{}" }).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(Error);
  });
});
