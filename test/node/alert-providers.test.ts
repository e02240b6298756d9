import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type AlertEvent, AlertEventSchema } from "../../src/core/alerts/event.ts";
import { DISCORD_LIMITS, discordMessage, escapeDiscord } from "../../src/core/alerts/providers/discord.ts";
import { formatDuration, truncate } from "../../src/core/alerts/providers/format.ts";
import { AlertConfigError, PROVIDERS, renderAlert } from "../../src/core/alerts/providers/index.ts";
import { PAGERDUTY_ACTION, pagerDutyDedupKey } from "../../src/core/alerts/providers/pagerduty.ts";
import { escapeSlack } from "../../src/core/alerts/providers/slack.ts";
import { readServiceAnswer } from "../../src/core/alerts/service-answer.ts";
import {
  signStandardWebhook,
  timingSafeEqual,
  verifyStandardWebhook,
  WebhookSecretError,
} from "../../src/core/alerts/standard-webhooks.ts";
import { type Channel, ChannelSchema } from "../../src/core/config/alerts.ts";
import type { SecretRef } from "../../src/core/config/common.ts";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const NOW_SEC = Math.floor(NOW.getTime() / 1000);
const EVIL = "<@everyone> *bold* & co";
const WHSEC = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;

const SECRETS: Record<string, string> = {
  SLACK_URL: "https://hooks.slack.com/services/T000/B000/XXXX",
  DISCORD_URL: "https://discord.com/api/webhooks/1/abc",
  HOOK_URL: "https://consumer.example/hooks/uptime",
  HOOK_SECRET: WHSEC,
  PD_KEY: "0123456789abcdef0123456789abcdef",
  TG_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
  NTFY_TOKEN: "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2",
  NTFY_TOPIC: "https://ntfy.example/private/ops-7f3k2",
};
const lookup = (ref: SecretRef): string => {
  const v = SECRETS[ref.secret];
  if (v === undefined) throw new Error(`secret ${ref.secret} is not set`);
  return v;
};

const channels = {
  slack: ChannelSchema.parse({ type: "slack", id: "ops-slack", url: { secret: "SLACK_URL" } }),
  discord: ChannelSchema.parse({ type: "discord", id: "ops-discord", url: { secret: "DISCORD_URL" } }),
  webhook: ChannelSchema.parse({
    type: "webhook",
    id: "consumer",
    url: { secret: "HOOK_URL" },
    signingSecret: { secret: "HOOK_SECRET" },
  }),
  pagerduty: ChannelSchema.parse({ type: "pagerduty", id: "pd", routingKey: { secret: "PD_KEY" } }),
  telegram: ChannelSchema.parse({
    type: "telegram",
    id: "validators-tg",
    botToken: { secret: "TG_TOKEN" },
    chatId: "-1001234567890",
    threadId: 42,
  }),
  ntfy: ChannelSchema.parse({
    type: "ntfy",
    id: "phone",
    topicUrl: "https://ntfy.sh/chain-uptime-ops",
    token: { secret: "NTFY_TOKEN" },
  }),
} satisfies Record<Channel["type"], Channel>;

function event(over: Partial<AlertEvent> = {}): AlertEvent {
  return AlertEventSchema.parse({
    id: "casper-a@1740830400000:down",
    kind: "down",
    severity: "critical",
    at: "2026-03-01T11:59:30.000Z",
    title: "casper-a is down",
    monitor: {
      id: "casper-a",
      name: "Casper A",
      chain: "casper",
      kind: "casper-rest",
      tags: { network: "casper" },
    },
    state: "down",
    incidentId: "casper-a@1740830400000",
    reasons: ["connection refused"],
    vantages: [
      { region: "weur", state: "down" },
      { region: "enam", state: "down" },
    ],
    ...over,
  });
}

const evilEvent = () =>
  event({
    title: `${EVIL} is down`,
    monitor: { id: "evil", name: EVIL, chain: "casper", kind: "casper-rest", tags: {} },
    reasons: [`${EVIL}: height stalled`, "<!channel> <https://evil.example|click>"],
  });

async function render<T extends Channel["type"]>(type: T, e: AlertEvent) {
  const req = await renderAlert(e, channels[type], lookup, NOW);
  return { req, body: JSON.parse(req.body) };
}

/** Every string anywhere in a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === "object") return Object.values(v).flatMap(strings);
  return [];
}

describe("registry", () => {
  it("has one provider per channel type", () => {
    expect(Object.keys(PROVIDERS).sort()).toEqual([
      "discord",
      "ntfy",
      "pagerduty",
      "slack",
      "telegram",
      "webhook",
    ]);
  });

  it("missing, empty or malformed secrets are AlertConfigErrors naming the secret, never its value", async () => {
    const missing = (ref: SecretRef) => {
      throw new Error(`secret ${ref.secret} is not set`);
    };
    await expect(renderAlert(event(), channels.slack, missing, NOW)).rejects.toThrow(
      /^channel ops-slack: secret SLACK_URL is not set$/,
    );
    await expect(renderAlert(event(), channels.discord, () => "", NOW)).rejects.toBeInstanceOf(
      AlertConfigError,
    );
    await expect(renderAlert(event(), channels.discord, () => "not a url token-123", NOW)).rejects.toThrow(
      "channel ops-discord: secret DISCORD_URL is not a URL",
    );
    await expect(renderAlert(event(), channels.slack, () => "ftp://x/y", NOW)).rejects.toThrow(
      /not an http\(s\) URL/,
    );
    const badSigning = (ref: SecretRef) => (ref.secret === "HOOK_SECRET" ? "whsec_!!!" : lookup(ref));
    const err = await renderAlert(event(), channels.webhook, badSigning, NOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertConfigError);
    expect((err as Error).message).toMatch(
      /^channel consumer: secret HOOK_SECRET: signing secret is not whsec_/,
    );
    expect((err as Error).message).not.toContain("!!!");
    await expect(renderAlert(event(), channels.pagerduty, () => "has spaces in it", NOW)).rejects.toThrow(
      "channel pd: secret PD_KEY is not a PagerDuty routing key",
    );
  });

  it("every provider POSTs JSON to the secret URL", async () => {
    for (const type of ["slack", "discord", "webhook", "pagerduty", "telegram", "ntfy"] as const) {
      const { req } = await render(type, event());
      expect(req.method).toBe("POST");
      expect(req.headers["content-type"]).toMatch(/^application\/json/);
      expect(() => JSON.parse(req.body)).not.toThrow();
    }
    expect((await render("slack", event())).req.url).toBe(SECRETS.SLACK_URL);
    expect((await render("discord", event())).req.url).toBe(SECRETS.DISCORD_URL);
    expect((await render("webhook", event())).req.url).toBe(SECRETS.HOOK_URL);
    expect((await render("pagerduty", event())).req.url).toBe("https://events.pagerduty.com/v2/enqueue");
    expect((await render("telegram", event())).req.url).toBe(
      `https://api.telegram.org/bot${SECRETS.TG_TOKEN}/sendMessage`,
    );
    expect((await render("ntfy", event())).req.url).toBe("https://ntfy.sh/");
  });
});

describe("slack", () => {
  it("Block Kit: header, fields, reasons, context, and a text fallback", async () => {
    const { body } = await render("slack", event());
    expect(body.text).toBe("🔴 Down: Casper A — casper-a is down");
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual([
      "header",
      "section",
      "section",
      "context",
    ]);
    expect(body.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "🔴 casper-a is down", emoji: true },
    });
    expect(body.blocks[1].fields.map((f: { text: string }) => f.text)).toEqual([
      "Monitor: Casper A",
      "Chain: casper (casper-rest)",
      "Alert: Down",
      "State: down",
      "Vantages:\nweur: down\nenam: down",
    ]);
    expect(body.blocks[2].text.text).toBe("• connection refused");
    expect(body.blocks[3].elements[1].text).toContain("incident casper-a@1740830400000");
  });

  it("recovered is green with the duration; degraded amber; monitoring alerts have no monitor", async () => {
    const rec = (
      await render("slack", event({ kind: "recovered", state: "up", durationSec: 3725, severity: "warning" }))
    ).body;
    expect(rec.blocks[0].text.text.startsWith("🟢")).toBe(true);
    expect(strings(rec)).toContain("Duration: 1h 2m 5s");
    const deg = (await render("slack", event({ kind: "degraded", state: "degraded", severity: "warning" })))
      .body;
    expect(deg.text.startsWith("🟠 Degraded")).toBe(true);
    const mon = (
      await render(
        "slack",
        event({
          kind: "monitoring_degraded",
          monitor: undefined,
          state: undefined,
          title: "scheduler stalled",
          vantages: undefined,
        }),
      )
    ).body;
    expect(mon.text).toBe("🟠 Monitoring degraded: scheduler stalled");
  });

  it("escapes &, < and > in every user string, so nothing can mention or link", async () => {
    const { body } = await render("slack", evilEvent());
    const all = strings(body);
    for (const s of all) {
      expect(s).not.toMatch(/[<>]/);
      expect(s.replace(/&(amp|lt|gt);/g, "")).not.toContain("&");
    }
    expect(all.join("\n")).toContain("&lt;@everyone&gt; *bold* &amp; co");
    expect(all.join("\n")).toContain("&lt;!channel&gt; &lt;https://evil.example|click&gt;");
    // user text only in plain_text objects: no mrkdwn formatting either
    const mrkdwn = JSON.stringify(body).match(/"type":"mrkdwn","text":"[^"]*"/g) ?? [];
    expect(mrkdwn).toEqual(['"type":"mrkdwn","text":"*chain-uptime*"']);
    expect(escapeSlack("a&b<c>d")).toBe("a&amp;b&lt;c&gt;d");
  });

  it("respects Block Kit limits and never cuts an entity in half", async () => {
    const { body } = await render(
      "slack",
      event({ title: "&".repeat(300), reasons: Array.from({ length: 20 }, () => "<".repeat(400)) }),
    );
    expect(body.blocks[0].text.text.length).toBeLessThanOrEqual(150);
    expect(body.blocks[0].text.text).toMatch(/^🔴 (&amp;)+…$/);
    expect(body.blocks[2].text.text.length).toBeLessThanOrEqual(3000);
    expect(body.blocks[2].text.text).toMatch(/(&lt;)…$/);
  });
});

describe("discord", () => {
  it("one embed with title, description, fields and the state colour", async () => {
    const { body } = await render("discord", event({ durationSec: 90 }));
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    const [embed] = body.embeds;
    expect(embed.title).toBe("🔴 casper-a is down");
    expect(embed.color).toBe(0xd32f2f);
    expect(embed.description).toContain("**Monitor:** Casper A");
    expect(embed.timestamp).toBe("2026-03-01T11:59:30.000Z");
    expect(embed.fields).toEqual([
      { name: "Duration", value: "1m 30s", inline: true },
      { name: "Reasons", value: "• connection refused" },
      { name: "weur", value: "down", inline: true },
      { name: "enam", value: "down", inline: true },
    ]);
  });

  it("colours by state: degraded amber, recovered green, info blue", async () => {
    const colour = async (over: Partial<AlertEvent>) =>
      (await render("discord", event(over))).body.embeds[0].color;
    expect(await colour({ kind: "degraded", severity: "warning", state: "degraded" })).toBe(0xffa000);
    expect(await colour({ kind: "recovered", severity: "warning", state: "up", durationSec: 5 })).toBe(
      0x2e7d32,
    );
    expect(await colour({ kind: "upgrade_scheduled", severity: "info", state: "up" })).toBe(0x1e88e5);
    expect(await colour({ kind: "reminder", severity: "critical", state: "down" })).toBe(0xd32f2f);
  });

  it("a node called '<@everyone> *bold* & co' pings nobody and formats nothing", async () => {
    const { body } = await render("discord", evilEvent());
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const text = strings(body.embeds).join("\n");
    expect(text).toContain("\\<\\@everyone\\> \\*bold\\* & co");
    // every @, <, *, _ coming from user text is preceded by a backslash (the footer renders no markdown)
    for (const s of strings({ ...body.embeds[0], footer: undefined })) {
      const stripped = s.replace(/\*\*(Monitor|Chain|Alert|State):\*\*/g, "");
      expect(stripped).not.toMatch(/(^|[^\\])[@<>*_~`|[\]]/);
    }
  });

  it("escapes markdown, including line-start headings and lists", () => {
    expect(escapeDiscord("_x_ ~~y~~ `z` ||s|| [l](u) > q")).toBe(
      "\\_x\\_ \\~\\~y\\~\\~ \\`z\\` \\|\\|s\\|\\| \\[l\\]\\(u\\) \\> q",
    );
    expect(escapeDiscord("# head\n- item\n  + sub\n1. one\nmid-word 2.0")).toBe(
      "\\# head\n\\- item\n  \\+ sub\n1\\. one\nmid-word 2.0",
    );
    expect(escapeDiscord("back\\slash")).toBe("back\\\\slash");
  });

  it("truncates to Discord's limits: title 256, description 4096, 25 fields, value 1024, total 6000", async () => {
    const long = "x".repeat(5000);
    const vantages = Array.from({ length: 40 }, (_, i) => ({ region: `r${i}`, state: "down" as const }));
    const { body } = await render(
      "discord",
      event({
        title: "t".repeat(300),
        monitor: { id: "m", name: long, chain: "casper", kind: "casper-rest", tags: {} },
        reasons: Array.from({ length: 20 }, () => "*".repeat(200)),
        vantages,
        durationSec: 1,
      }),
    );
    const [embed] = body.embeds;
    const L = DISCORD_LIMITS;
    expect(embed.title.length).toBeLessThanOrEqual(L.title);
    expect(embed.title.endsWith("…")).toBe(true);
    expect((embed.description ?? "").length).toBeLessThanOrEqual(L.description);
    expect(embed.fields.length).toBeLessThanOrEqual(L.fields);
    for (const f of embed.fields) {
      expect(f.name.length).toBeLessThanOrEqual(L.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
      expect(f.value.length).toBeGreaterThan(0);
    }
    const reasons = embed.fields.find((f: { name: string }) => f.name === "Reasons");
    // cut inside "\*\*…" never leaves a dangling backslash
    expect(reasons.value).toMatch(/(\\\*)+…$/);
    const total =
      embed.title.length +
      (embed.description ?? "").length +
      embed.footer.text.length +
      embed.fields.reduce(
        (n: number, f: { name: string; value: string }) => n + f.name.length + f.value.length,
        0,
      );
    expect(total).toBeLessThanOrEqual(L.total);
  });

  it("more vantages than fields fold into one '+N more' field", () => {
    const vantages = Array.from({ length: 30 }, (_, i) => ({ region: `r${i}`, state: "up" as const }));
    const msg = discordMessage(event({ vantages, reasons: [] }));
    const fields = msg.embeds[0].fields;
    expect(fields).toHaveLength(25);
    expect(fields[24]?.name).toBe("+6 more vantages");
    expect(fields[24]?.value.split("\n")).toHaveLength(6);
  });
});

/** An independent Standard Webhooks verifier on node:crypto, as a consumer would write it. */
function nodeVerify(headers: Record<string, string>, body: string, secret: string, nowSec: number): boolean {
  const id = headers["webhook-id"];
  const ts = headers["webhook-timestamp"];
  const sig = headers["webhook-signature"];
  if (!id || !ts || !sig) return false;
  if (Math.abs(nowSec - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64");
  return sig.split(" ").some((s) => s === `v1,${expected}`);
}

describe("generic webhook (Standard Webhooks)", () => {
  it("body is exactly the AlertEvent; headers carry id, timestamp and a v1 signature", async () => {
    const e = event();
    const { req, body } = await render("webhook", e);
    expect(body).toEqual(e);
    expect(AlertEventSchema.parse(body)).toEqual(e);
    expect(req.headers["webhook-id"]).toBe(e.id);
    expect(req.headers["webhook-timestamp"]).toBe(String(NOW_SEC));
    expect(req.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it("only schema fields go out", async () => {
    const leaky = { ...event(), url: "http://10.0.0.1:7777/rpc?key=SECRET" } as AlertEvent;
    const { req } = await render("webhook", leaky);
    expect(req.body).not.toContain("SECRET");
    expect(JSON.parse(req.body)).toEqual(event());
  });

  it("the signature verifies with an independent node:crypto implementation", async () => {
    const { req } = await render("webhook", evilEvent());
    expect(nodeVerify(req.headers, req.body, WHSEC, NOW_SEC)).toBe(true);
    expect(nodeVerify(req.headers, `${req.body} `, WHSEC, NOW_SEC)).toBe(false);
    // and a random key works too (whsec_ + 32 random bytes)
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const sig = await signStandardWebhook("msg_1", 1_700_000_000, '{"a":1}', secret);
    const key = Buffer.from(secret.slice(6), "base64");
    expect(sig).toBe(`v1,${createHmac("sha256", key).update('msg_1.1700000000.{"a":1}').digest("base64")}`);
  });

  it("verifyStandardWebhook accepts the real thing and rejects tampering, old and future timestamps", async () => {
    const { req } = await render("webhook", event());
    expect(await verifyStandardWebhook(req.headers, req.body, WHSEC, NOW)).toEqual({
      ok: true,
      id: event().id,
      timestamp: NOW_SEC,
    });
    const tampered = req.body.replace('"down"', '"up"');
    expect(await verifyStandardWebhook(req.headers, tampered, WHSEC, NOW)).toEqual({
      ok: false,
      error: "bad-signature",
    });
    const later = new Date(NOW.getTime() + 301_000);
    expect(await verifyStandardWebhook(req.headers, req.body, WHSEC, later)).toEqual({
      ok: false,
      error: "timestamp-too-old",
    });
    expect(await verifyStandardWebhook(req.headers, req.body, WHSEC, later, 600)).toMatchObject({ ok: true });
    const earlier = new Date(NOW.getTime() - 301_000);
    expect(await verifyStandardWebhook(req.headers, req.body, WHSEC, earlier)).toEqual({
      ok: false,
      error: "timestamp-too-new",
    });
    // a replay with a fresh timestamp but the old signature fails
    const replay = { ...req.headers, "webhook-timestamp": String(NOW_SEC + 10) };
    expect(await verifyStandardWebhook(replay, req.body, WHSEC, NOW)).toEqual({
      ok: false,
      error: "bad-signature",
    });
    const other = `whsec_${Buffer.from("another-secret-of-32-bytes-long!").toString("base64")}`;
    expect(await verifyStandardWebhook(req.headers, req.body, other, NOW)).toEqual({
      ok: false,
      error: "bad-signature",
    });
    const { "webhook-id": _drop, ...noId } = req.headers;
    expect(await verifyStandardWebhook(noId, req.body, WHSEC, NOW)).toEqual({
      ok: false,
      error: "missing-headers",
    });
    expect(
      await verifyStandardWebhook({ ...req.headers, "webhook-timestamp": "12.5" }, req.body, WHSEC, NOW),
    ).toEqual({ ok: false, error: "bad-timestamp" });
  });

  it("accepts any one of several signatures, Headers objects and Node header records alike", async () => {
    const { req } = await render("webhook", event());
    const rotated = {
      ...req.headers,
      "webhook-signature": `v1,AAAA v2,${"x".repeat(10)} ${req.headers["webhook-signature"]}`,
    };
    expect((await verifyStandardWebhook(rotated, req.body, WHSEC, NOW)).ok).toBe(true);
    expect((await verifyStandardWebhook(new Headers(req.headers), req.body, WHSEC, NOW)).ok).toBe(true);
    const upper = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect((await verifyStandardWebhook(upper, req.body, WHSEC, NOW)).ok).toBe(true);
    // the secret without its prefix is the same key
    expect((await verifyStandardWebhook(req.headers, req.body, WHSEC.slice(6), NOW)).ok).toBe(true);
  });

  it("retries re-sign with the attempt's time but keep the id", async () => {
    const a = (await renderAlert(event(), channels.webhook, lookup, NOW)).headers;
    const b = (await renderAlert(event(), channels.webhook, lookup, new Date(NOW.getTime() + 60_000)))
      .headers;
    expect(b["webhook-id"]).toBe(a["webhook-id"]);
    expect(Number(b["webhook-timestamp"]) - Number(a["webhook-timestamp"])).toBe(60);
    expect(b["webhook-signature"]).not.toBe(a["webhook-signature"]);
  });

  it("rejects malformed secrets and compares in constant time", async () => {
    await expect(signStandardWebhook("i", 1, "b", "whsec_")).rejects.toBeInstanceOf(WebhookSecretError);
    await expect(signStandardWebhook("i", 1, "b", "whsec_c2hvcnQ=")).rejects.toThrow(/shorter than 16 bytes/);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
  });
});

describe("pagerduty", () => {
  it("Events API v2 trigger for down", async () => {
    const { body } = await render("pagerduty", event());
    expect(body).toEqual({
      routing_key: SECRETS.PD_KEY,
      event_action: "trigger",
      dedup_key: "casper-a@1740830400000",
      client: "chain-uptime",
      payload: {
        summary: "casper-a is down",
        source: "casper-a",
        severity: "critical",
        timestamp: "2026-03-01T11:59:30.000Z",
        component: "casper",
        group: "casper",
        class: "down",
        custom_details: {
          alert: "Down",
          event_id: "casper-a@1740830400000:down",
          reasons: ["connection refused"],
          monitor: "Casper A",
          monitor_id: "casper-a",
          chain: "casper",
          check: "casper-rest",
          tags: { network: "casper" },
          state: "down",
          incident_id: "casper-a@1740830400000",
          vantages: [
            { region: "weur", state: "down" },
            { region: "enam", state: "down" },
          ],
        },
      },
    });
  });

  it("trigger and resolve of one incident share the dedup key", async () => {
    const down = (await render("pagerduty", event())).body;
    const reminder = (await render("pagerduty", event({ kind: "reminder", id: "x:reminder:1" }))).body;
    const up = (
      await render("pagerduty", event({ kind: "recovered", id: "x:recovered", state: "up", durationSec: 60 }))
    ).body;
    expect([down.event_action, reminder.event_action, up.event_action]).toEqual([
      "trigger",
      "trigger",
      "resolve",
    ]);
    expect(new Set([down.dedup_key, reminder.dedup_key, up.dedup_key]).size).toBe(1);
    expect(up.payload.custom_details.duration).toBe("1m");
  });

  it("maps every kind to an action; falls back to monitor and checker keys", () => {
    expect(
      Object.entries(PAGERDUTY_ACTION)
        .filter(([, a]) => a === "resolve")
        .map(([k]) => k),
    ).toEqual(["recovered", "stable", "monitoring_recovered"]);
    expect(pagerDutyDedupKey(event({ kind: "flapping", incidentId: undefined }))).toBe("monitor:casper-a");
    const checker = { monitor: undefined, incidentId: undefined, state: undefined, vantages: undefined };
    expect(pagerDutyDedupKey(event({ kind: "monitoring_degraded", ...checker }))).toBe(
      "chain-uptime:monitoring",
    );
    expect(pagerDutyDedupKey(event({ kind: "monitoring_recovered", ...checker }))).toBe(
      "chain-uptime:monitoring",
    );
    expect(
      pagerDutyDedupKey(event({ kind: "monitoring_degraded", ...checker, incidentId: "checker:scheduler" })),
    ).toBe("checker:scheduler");
    // notices don't hijack an open outage's PagerDuty alert
    expect(pagerDutyDedupKey(event({ kind: "cert_expiring", severity: "warning" }))).toBe(
      "casper-a:cert_expiring",
    );
  });

  it("strings are passed through unescaped (PagerDuty renders no markup)", async () => {
    const { body } = await render("pagerduty", evilEvent());
    expect(body.payload.custom_details.monitor).toBe(EVIL);
    expect(body.payload.summary).toBe(`${EVIL} is down`);
  });
});

describe("format helpers", () => {
  it("formatDuration and truncate", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(59)).toBe("59s");
    expect(formatDuration(3600)).toBe("1h");
    expect(formatDuration(90_061)).toBe("1d 1h 1m");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("ab😀cd", 4)).toBe("ab…");
    expect(truncate("ab\\*", 4, "\\")).toBe("ab\\*");
    expect(truncate("ab\\*cd", 4, "\\")).toBe("ab…");
  });
});

describe("telegram", () => {
  it("sends HTML to the chat and thread, escaping every user string so none adds markup", async () => {
    const { body } = await render("telegram", evilEvent());
    expect(body.chat_id).toBe("-1001234567890");
    expect(body.message_thread_id).toBe(42);
    expect(body.parse_mode).toBe("HTML");
    expect(body.link_preview_options).toEqual({ is_disabled: true });
    const text = body.text as string;
    // Only our own tags remain; the name's "<@everyone>" and the reason's "<https://…|click>" are entities.
    expect(text.match(/<\/?[a-z]+>/g)?.sort()).toEqual(["</b>", "</i>", "<b>", "<i>"]);
    expect(text).toContain("&lt;@everyone&gt; *bold* &amp; co");
    expect(text).toContain("&lt;!channel&gt; &lt;https://evil.example|click&gt;");
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it("says what happened: title, monitor, state, duration, reasons, vantages, incident", async () => {
    const { body } = await render("telegram", event({ kind: "recovered", state: "up", durationSec: 3725 }));
    expect(body.text).toBe(
      [
        "<b>🟢 casper-a is down</b>",
        "Monitor: Casper A (casper · casper-rest)",
        "State: up",
        "Duration: 1h 2m 5s",
        "Vantages: weur: down, enam: down",
        "• connection refused",
        "<i>chain-uptime · Recovered · incident casper-a@1740830400000</i>",
      ].join("\n"),
    );
  });

  it("stays within the 4096-character limit with the longest strings an event may hold", async () => {
    const long = "&".repeat(5000);
    const e = event({ title: long.slice(0, 300), reasons: Array.from({ length: 20 }, () => long) });
    const { body } = await render("telegram", e);
    const visible = (body.text as string).replace(/<\/?[bi]>/g, "").replace(/&amp;/g, "&");
    expect(visible.length).toBeLessThanOrEqual(4096);
    expect(visible).toContain("• &&&");
  });

  it("a token that is not a bot token, or a bad chat id, is refused naming the field", async () => {
    await expect(renderAlert(event(), channels.telegram, () => "not-a-token", NOW)).rejects.toThrow(
      "channel validators-tg: secret TG_TOKEN is not a Telegram bot token (123456:ABC…)",
    );
    const bad = ChannelSchema.safeParse({
      type: "telegram",
      id: "t",
      botToken: { secret: "T" },
      chatId: "ops",
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toContain("chatId");
    for (const chatId of [-1001234567890, "@validator_alerts", "12345"]) {
      expect(
        ChannelSchema.safeParse({ type: "telegram", id: "t", botToken: { secret: "T" }, chatId }).success,
      ).toBe(true);
    }
  });
});

describe("ntfy", () => {
  it("publishes JSON to the server's root with topic, priority and tags by severity, and the token", async () => {
    const down = await render("ntfy", event());
    expect(down.req.headers.authorization).toBe(`Bearer ${SECRETS.NTFY_TOKEN}`);
    expect(down.body).toMatchObject({
      topic: "chain-uptime-ops",
      title: "casper-a is down",
      priority: 5,
      tags: ["red_circle", "down", "casper"],
    });
    expect(down.body.message).toContain("• connection refused");
    const degraded = await render(
      "ntfy",
      event({ kind: "degraded", severity: "warning", state: "degraded" }),
    );
    expect(degraded.body).toMatchObject({ priority: 4, tags: ["orange_circle", "degraded", "casper"] });
    const recovered = await render("ntfy", event({ kind: "recovered", severity: "critical", state: "up" }));
    expect(recovered.body).toMatchObject({ priority: 3, tags: ["green_circle", "recovered", "casper"] });
  });

  it("takes priorities from config, a private topic URL from a secret, and sends no token unless set", async () => {
    const channel = ChannelSchema.parse({
      type: "ntfy",
      id: "own",
      topicUrl: { secret: "NTFY_TOPIC" },
      priorities: { critical: 4 },
    });
    const req = await renderAlert(event(), channel, lookup, NOW);
    expect(req.url).toBe("https://ntfy.example/private/");
    expect(req.headers.authorization).toBeUndefined();
    expect(JSON.parse(req.body)).toMatchObject({ topic: "ops-7f3k2", priority: 4 });
  });

  it("bad topic URLs are refused naming the field or the secret, never echoing a secret", async () => {
    const inline = ChannelSchema.safeParse({ type: "ntfy", id: "n", topicUrl: "ntfy.sh/ops" });
    expect(inline.error?.issues[0]?.path).toEqual(["topicUrl"]);
    const secretTopic = ChannelSchema.parse({ type: "ntfy", id: "n", topicUrl: { secret: "NTFY_TOPIC" } });
    const err = await renderAlert(event(), secretTopic, () => "https://ntfy.sh/", NOW).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(
      "channel n: secret NTFY_TOPIC is not an ntfy topic URL (https://ntfy.sh/<topic>)",
    );
    const badTopic = ChannelSchema.parse({ type: "ntfy", id: "n", topicUrl: "https://ntfy.sh/has%20space" });
    await expect(renderAlert(event(), badTopic, lookup, NOW)).rejects.toThrow(
      /channel n: channel topicUrl: a topic is/,
    );
  });
});

describe("what a refusing service said", () => {
  it("reads Telegram's, ntfy's and Discord's error bodies, and plain text, but not an HTML page", () => {
    expect(
      readServiceAnswer(
        '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}',
      ),
    ).toEqual({ reason: "Too Many Requests: retry after 5", retryAfterSec: 5 });
    expect(readServiceAnswer('{"code":40301,"http":403,"error":"forbidden"}')).toEqual({
      reason: "forbidden",
    });
    expect(readServiceAnswer('{"message":"You are being rate limited.","retry_after":0.5}')).toEqual({
      reason: "You are being rate limited.",
      retryAfterSec: 0.5,
    });
    expect(readServiceAnswer("  internal\n error ")).toEqual({ reason: "internal error" });
    expect(readServiceAnswer("<html><body>502</body></html>")).toEqual({});
    expect(readServiceAnswer(`{"description":"${"x".repeat(500)}"}`).reason).toHaveLength(200);
    expect(readServiceAnswer('{"retry_after":-3}')).toEqual({});
  });
});
