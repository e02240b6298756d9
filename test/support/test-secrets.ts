/** The Standard Webhooks secret the test webhook consumer verifies (base64 of 24 bytes). */
export const TEST_WEBHOOK_SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldC0yNGJ5dGVz";
