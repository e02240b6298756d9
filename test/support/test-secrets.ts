/** The Standard Webhooks secret the test webhook consumer verifies (base64 of 24 bytes). */
export const TEST_WEBHOOK_SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldC0yNGJ5dGVz";

/** A bot token of the Bot API's shape; the test receivers stand in for api.telegram.org. */
export const TEST_TELEGRAM_TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
