/** The Standard Webhooks secret the test webhook consumer verifies (base64 of 24 bytes). */
export const TEST_WEBHOOK_SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldC0yNGJ5dGVz";

/** A bot token of the Bot API's shape; the test receivers stand in for api.telegram.org. */
export const TEST_TELEGRAM_TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/** Push monitors' tokens in the workerd tests, by secret name (test-config.ts names them). */
export const TEST_PUSH_TOKENS = {
  PUSH_JOB_TOKEN: "job-7d1c0f3a9b2e4c58a1",
  PUSH_BURST_TOKEN: "burst-0a9e2f7c4b1d3e68",
  PUSH_LATE_TOKEN: "late-5c3b8e1f0d2a7c94b",
  PUSH_IDLE_TOKEN: "idle-2e9d4a7b1c8f3e05d",
  PUSH_LIMIT_TOKEN: "limit-8f1a3c5e7b9d0f246",
} as const;
