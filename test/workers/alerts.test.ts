import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AlertEvent } from "../../src/core/alerts/event.ts";
import { verifyStandardWebhook } from "../../src/core/alerts/standard-webhooks.ts";
import type { ReceivedRequest } from "../../src/sim/receivers.ts";
import { TEST_TELEGRAM_TOKEN, TEST_WEBHOOK_SECRET } from "../support/test-secrets.ts";
import { api, control, flushBoard, probeNow, prober, sleep, stateShard } from "./helpers.ts";

const receivers = inject("receivers");
const PATHS = {
  slack: "/slack/ops",
  discord: "/discord/ops",
  webhook: "/webhook/ops",
  pagerduty: "/pagerduty/ops",
  telegram: `/telegram/ops/bot${TEST_TELEGRAM_TOKEN}/sendMessage`,
  ntfy: "/ntfy/ops/",
};
const outbox = () => env.ALERTS.getByName("outbox");

async function received(path: string): Promise<ReceivedRequest[]> {
  const res = await fetch(`${receivers.url}/_received?path=${encodeURIComponent(path)}`);
  return (await res.json()) as ReceivedRequest[];
}

async function setMode(path: string, mode: "ok" | "429" | "500" | "hang" | "reject", extra: object = {}) {
  const res = await fetch(`${receivers.url}/_mode`, {
    method: "PUT",
    body: JSON.stringify({ path, mode, ...extra }),
  });
  expect(res.status).toBe(200);
}

/** Alerts about one monitor as each receiver saw them (by the ids they carry). */
async function alertsFor(monitorId: string) {
  const out: Record<keyof typeof PATHS, string[]> = {
    slack: [],
    discord: [],
    webhook: [],
    pagerduty: [],
    telegram: [],
    ntfy: [],
  };
  for (const [kind, path] of Object.entries(PATHS) as [keyof typeof PATHS, string][]) {
    for (const r of await received(path)) {
      if (r.status === undefined || r.status >= 300) continue;
      const text = r.rawBody;
      if (!text.includes(monitorId)) continue;
      out[kind].push(kind === "webhook" ? (r.body as { id: string }).id : text);
    }
  }
  return out;
}

/** Probes from both regions until the monitor's thresholds are met. */
async function probeBoth(id: string, times = 2) {
  for (let i = 0; i < times; i++) {
    await probeNow("weur", [id]);
    await probeNow("enam", [id]);
  }
}

/** Delivers everything the outbox has due, without waiting for its alarm. */
async function drainOutbox() {
  await runInDurableObject(outbox(), (_i, state) =>
    state.storage.sql.exec("UPDATE deliveries SET next_at = 0 WHERE status = 'pending'"),
  );
  await runDurableObjectAlarm(outbox());
}

async function until<T>(what: () => Promise<T>, ok: (t: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await sleep(200);
  }
}

describe("alerts end to end: node → verdict → incident → outbox → receivers", () => {
  beforeAll(async () => {
    await control.heal("alert-a");
    await control.heal("alert-b");
    await probeBoth("alert-rest");
    await probeBoth("alert-one");
  });
  afterAll(async () => {
    await control.heal("alert-a");
    await control.heal("alert-b");
    await fetch(`${receivers.url}/_reset`, { method: "POST" });
  });

  it("a first failure from one vantage is re-probed at once, from another region and from the same", async () => {
    await control.setFault("alert-b", { fault: "refusing" });
    const t0 = Date.now();
    await probeNow("weur", ["alert-one"]); // only weur probes; the state object asks enam to confirm
    const history = await until(
      () =>
        stateShard("state:casper:casper-alerts").history({
          monitorId: "alert-one",
          from: t0,
          to: Date.now() + 1000,
          limit: 10,
        }),
      (h) => h.some((p) => p.vantage === "enam") && h.filter((p) => p.vantage === "weur").length >= 2,
      5_000,
    );
    // the first failure, then enam's confirmation and weur's own recheck, without waiting an interval
    expect(history[0]).toMatchObject({ vantage: "weur", state: "down" });
    expect(history.filter((p) => p.vantage === "enam").map((p) => p.state)).toEqual(["down"]);
    await control.heal("alert-b");
    await probeBoth("alert-one");
    await runInDurableObject(prober("enam"), (_i, s) => s.storage.deleteAlarm());
  });

  it("a node going down gives exactly one down alert per channel, recovery one recovered alert with its duration", async () => {
    await control.setFault("alert-a", { fault: "refusing" });
    await probeBoth("alert-rest");
    const down = await until(
      () => alertsFor("alert-rest"),
      (a) => Object.values(a).every((list) => list.length >= 1),
    );
    for (const list of Object.values(down)) expect(list).toHaveLength(1);
    expect(down.webhook[0]).toMatch(/^alert-rest@\d+:down$/);

    // still down: more probes, new error texts, no new alert
    await probeBoth("alert-rest");
    await control.heal("alert-a");
    await probeBoth("alert-rest");
    const all = await until(
      () => alertsFor("alert-rest"),
      (a) => Object.values(a).every((list) => list.length >= 2),
    );
    for (const list of Object.values(all)) expect(list).toHaveLength(2);
    const slack = (await received(PATHS.slack)).filter(
      (r) => r.rawBody.includes("alert-rest") || r.rawBody.includes("Test alert-rest"),
    );
    expect(slack.at(-1)?.rawBody).toMatch(/recovered/i);
    const hook = (await received(PATHS.webhook)).at(-1) as ReceivedRequest;
    expect(hook.signature).toBe("valid");
    expect(hook.body).toMatchObject({ kind: "recovered", monitor: { id: "alert-rest" } });
    expect((hook.body as { durationSec: number }).durationSec).toBeGreaterThanOrEqual(0);
    // an independent check of the Standard Webhooks signature
    const verified = await verifyStandardWebhook(
      hook.headers as Record<string, string>,
      hook.rawBody,
      TEST_WEBHOOK_SECRET,
    );
    expect(verified.ok).toBe(true);
    const discord = (await received(PATHS.discord)).at(-1)?.body as { allowed_mentions: unknown };
    expect(discord.allowed_mentions).toEqual({ parse: [] });
  });

  it("a failure seen from one region only opens no incident and sends no alert", async () => {
    await control.setFault("alert-b", { fault: "refusing", userAgentContains: "vantage weur" });
    await probeBoth("alert-one", 3);
    await flushBoard();
    const { body } = await api<{ state: string; vantages: { region: string; state: string }[] }>(
      "/api/v1/monitors/alert-one",
    );
    expect(body.vantages.find((v) => v.region === "weur")?.state).toBe("down");
    expect(body.state).toBe("up");
    await sleep(500);
    const a = await alertsFor("alert-one");
    expect(Object.values(a).flat()).toEqual([]);
    await control.heal("alert-b");
    await probeBoth("alert-one");
  });

  it("a receiver answering 429 with Retry-After, then 500, still gets the alert exactly once", async () => {
    await setMode(PATHS.slack, "429", { retryAfterSec: 1, times: 1 });
    await setMode(PATHS.discord, "500", { times: 1 });
    await control.setFault("alert-a", { fault: "refusing" });
    await probeBoth("alert-rest");
    await sleep(300);
    await drainOutbox(); // past the Retry-After and the backoff
    const a = await until(
      () => alertsFor("alert-rest"),
      (x) => x.slack.length >= 3 && x.discord.length >= 3,
    );
    expect(a.slack).toHaveLength(3);
    expect(a.discord).toHaveLength(3);
    const rejected = (await received(PATHS.slack)).filter((r) => r.status === 429);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    await control.heal("alert-a");
    await probeBoth("alert-rest");
  });

  it("a receiver that hangs delays neither probing nor the other channels, and still gets its alert once", async () => {
    const before = await alertsFor("alert-rest");
    await setMode(PATHS.slack, "hang", { times: 1 });
    await control.setFault("alert-a", { fault: "refusing" });
    await probeBoth("alert-rest");
    // the other channels have it while Slack's request hangs
    const others = await until(
      () => alertsFor("alert-rest"),
      (a) => a.discord.length > before.discord.length && a.webhook.length > before.webhook.length,
    );
    expect(others.slack.length).toBe(before.slack.length);
    // probing goes on at full speed meanwhile
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await probeNow("weur", ["alert-rest"]);
      expect(Date.now() - t0).toBeLessThan(2_000);
    }
    await sleep(10_500); // the outbox gives up on the hung request after 10 s
    await drainOutbox();
    const after = await until(
      () => alertsFor("alert-rest"),
      (a) => a.slack.length > before.slack.length,
    );
    expect(after.slack.length).toBe(before.slack.length + 1);
    await control.heal("alert-a");
    await probeBoth("alert-rest");
    await drainOutbox();
  });

  it("deliveries pending across a restart of the outbox are neither lost nor sent twice", async () => {
    await setMode(PATHS.webhook, "500");
    await control.setFault("alert-a", { fault: "refusing" });
    await probeBoth("alert-rest");
    await until(
      async () => (await received(PATHS.webhook)).filter((r) => r.status === 500).length,
      (n) => n >= 1,
    );
    await evictDurableObject(outbox());
    // the runtime restarts while the delivery is pending
    await setMode(PATHS.webhook, "ok");
    await drainOutbox();
    const log = await received(PATHS.webhook);
    const failed = log.filter((r) => r.status === 500).map((r) => (r.body as { id: string }).id);
    const ids = log.filter((r) => r.status === 200).map((r) => (r.body as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length); // nothing delivered twice
    for (const id of failed) expect(ids).toContain(id); // nothing lost
    await control.heal("alert-a");
    await probeBoth("alert-rest");
  });

  it("a receiver that keeps failing ends in the dead letters, visible in the admin API", async () => {
    await setMode(PATHS.pagerduty, "500");
    await control.setFault("alert-a", { fault: "refusing" });
    await probeBoth("alert-rest");
    for (let i = 0; i < 5; i++) {
      await sleep(100);
      await drainOutbox();
    }
    const res = await (await import("../../src/worker/index.ts")).default.fetch(
      new Request("http://uptime.test/api/v1/alerts?status=dead", {
        headers: { authorization: "Bearer test-admin-token" },
      }),
      env,
      (await import("cloudflare:test")).createExecutionContext(),
    );
    const body = (await res.json()) as {
      deliveries: { channel: string; attempts: number; lastError: string }[];
    };
    expect(
      body.deliveries.some(
        (d) => d.channel === "pagerduty" && d.attempts === 4 && d.lastError === "HTTP 500: internal_error",
      ),
    ).toBe(true);
    const unauth = await api<{ error: string }>("/api/v1/alerts");
    expect(unauth.status).toBe(401);
    await setMode(PATHS.pagerduty, "ok");
    await control.heal("alert-a");
    await probeBoth("alert-rest");
  });

  it("a flapping node raises one 'flapping' alert instead of a stream of down/recovered", async () => {
    const before = (await alertsFor("alert-rest")).webhook.length;
    for (let i = 0; i < 4; i++) {
      await control.setFault("alert-a", { fault: "refusing" });
      await probeBoth("alert-rest");
      await control.heal("alert-a");
      await probeBoth("alert-rest");
    }
    await drainOutbox();
    const after = await until(
      () => alertsFor("alert-rest"),
      (a) => a.webhook.some((id) => id.includes(":flapping:")),
    );
    const added = after.webhook.slice(before);
    expect(added.filter((id) => id.includes(":flapping:"))).toHaveLength(1);
    // 14 transitions in the window: the ones before flapping alert, the ones after do not
    expect(added.length).toBeLessThan(8);
  });
});

describe("Telegram and ntfy through the outbox: ok, 429, 500, hang, refused chat or topic", () => {
  const TG = `/telegram/modes/bot${TEST_TELEGRAM_TOKEN}/sendMessage`;
  const NTFY = "/ntfy/modes/";
  let n = 0;
  /** A new alert about the monitor the chat-modes route covers, enqueued as a state object would. */
  async function raise(): Promise<string> {
    const id = `chat-modes@${Date.now()}-${++n}:down`;
    const event: AlertEvent = {
      id,
      kind: "down",
      severity: "critical",
      at: new Date().toISOString(),
      title: "Validator <b>node</b> & co is down",
      monitor: {
        id: "chat-modes",
        name: "Validator <b>node</b>",
        chain: "casper",
        kind: "casper-rest",
        tags: {},
      },
      state: "down",
      incidentId: id.replace(/:down$/, ""),
      reasons: ["connection refused"],
    };
    expect(await outbox().enqueue([event])).toEqual({ queued: 2 });
    return id;
  }
  const about = (id: string, r: ReceivedRequest) => r.rawBody.includes(id.replace(/:down$/, ""));
  const deliveries = async (id: string) =>
    (await outbox().list({ limit: 500 })).filter((d) => d.key.startsWith(`${id}|`));

  it("one message per alert: Telegram's sendMessage to the chat and thread, escaped; ntfy's JSON to the topic", async () => {
    const id = await raise();
    await drainOutbox();
    const tg = (await received(TG)).filter((r) => about(id, r));
    const ntfy = (await received(NTFY)).filter((r) => about(id, r));
    expect(tg.map((r) => r.status)).toEqual([200]);
    expect(ntfy.map((r) => r.status)).toEqual([200]);
    expect(tg[0]?.body).toMatchObject({
      chat_id: "@chain_uptime_ops",
      message_thread_id: 7,
      parse_mode: "HTML",
    });
    expect((tg[0]?.body as { text?: string } | undefined)?.text).toContain(
      "Validator &lt;b&gt;node&lt;/b&gt; &amp; co is down",
    );
    expect(ntfy[0]?.body).toMatchObject({
      topic: "ops",
      priority: 5,
      title: "Validator <b>node</b> & co is down",
    });
    expect(ntfy[0]?.headers.authorization).toBeUndefined();
    expect((await deliveries(id)).map((d) => d.status)).toEqual(["sent", "sent"]);
  });

  it("Telegram's 429 is retried after parameters.retry_after from the body; ntfy's 429 and 500 are retried; each arrives once", async () => {
    await setMode(TG, "429", { retryAfterSec: 17, times: 1 });
    await setMode(NTFY, "500", { times: 1 });
    const id = await raise();
    const t0 = Date.now();
    await runDurableObjectAlarm(outbox());
    const pending = await deliveries(id);
    const tgRow = pending.find((d) => d.channel === "telegram-modes");
    expect(tgRow).toMatchObject({ status: "pending", attempts: 1 });
    expect(tgRow?.lastError).toBe("HTTP 429 rate limited: Too Many Requests: retry after 17");
    // the Bot API sends no Retry-After header: the delay comes from the body
    expect((tgRow?.nextAt ?? 0) - t0).toBeGreaterThanOrEqual(16_000);
    expect((tgRow?.nextAt ?? 0) - t0).toBeLessThan(19_000);
    await drainOutbox();
    expect((await received(TG)).filter((r) => about(id, r)).map((r) => r.status)).toEqual([429, 200]);
    expect((await received(NTFY)).filter((r) => about(id, r)).map((r) => r.status)).toEqual([500, 200]);
    expect((await deliveries(id)).map((d) => d.status)).toEqual(["sent", "sent"]);
  });

  it("a service that hangs is given up after 10 s and retried; the alert arrives once", async () => {
    await setMode(TG, "hang", { times: 1 });
    await setMode(NTFY, "hang", { times: 1 });
    const id = await raise();
    await runDurableObjectAlarm(outbox());
    const rows = await deliveries(id);
    expect(rows.map((d) => [d.status, d.lastError])).toEqual([
      ["pending", "no answer within 10000 ms"],
      ["pending", "no answer within 10000 ms"],
    ]);
    await drainOutbox();
    expect((await received(TG)).filter((r) => about(id, r) && r.status === 200)).toHaveLength(1);
    expect((await received(NTFY)).filter((r) => about(id, r) && r.status === 200)).toHaveLength(1);
  });

  it("a chat or topic the service refuses is a dead letter at once, with the service's reason", async () => {
    await setMode(TG, "reject", { rejectStatus: 403, times: 1 });
    await setMode(NTFY, "reject", { rejectStatus: 403, times: 1 });
    const id = await raise();
    await drainOutbox();
    await drainOutbox(); // nothing left to retry
    const rows = await deliveries(id);
    expect(rows.map((d) => [d.channel, d.status, d.attempts, d.lastError]).sort()).toEqual([
      ["ntfy-modes", "dead", 1, "HTTP 403 (not retried): forbidden"],
      [
        "telegram-modes",
        "dead",
        1,
        "HTTP 403 (not retried): Forbidden: bot was kicked from the supergroup chat",
      ],
    ]);
    await setMode(TG, "reject", { times: 1 });
    const second = await raise();
    await drainOutbox();
    const tgRow = (await deliveries(second)).find((d) => d.channel === "telegram-modes");
    expect(tgRow?.lastError).toBe("HTTP 400 (not retried): Bad Request: chat not found");
    expect((await received(TG)).filter((r) => about(second, r))).toHaveLength(1);
  });
});
