import { describe, expect, it } from "vitest";
import { localWorkerEnv } from "../../src/local/local-worker.ts";

describe("the local Worker's environment", () => {
  it("caps V8's young generation and leaves out wrangler's trace collector and explorer by default", () => {
    const env = localWorkerEnv({ PATH: "/usr/bin" });
    expect(env.MINIFLARE_WORKERD_V8_FLAGS).toBe("--max-semi-space-size=1");
    expect(env.X_LOCAL_OBSERVABILITY).toBe("false");
    expect(env.X_LOCAL_EXPLORER).toBe("false");
    expect(env.PATH).toBe("/usr/bin");
  });

  it("lets the caller's environment replace a default, an empty V8 flag list included", () => {
    const env = localWorkerEnv({ MINIFLARE_WORKERD_V8_FLAGS: "", X_LOCAL_OBSERVABILITY: "true" });
    expect(env.MINIFLARE_WORKERD_V8_FLAGS).toBe("");
    expect(env.X_LOCAL_OBSERVABILITY).toBe("true");
    expect(env.X_LOCAL_EXPLORER).toBe("false");
  });

  it("stays offline whatever the caller's environment says", () => {
    const env = localWorkerEnv({ WRANGLER_SEND_METRICS: "true", CLOUDFLARE_CF_FETCH_ENABLED: "true" });
    expect(env.WRANGLER_SEND_METRICS).toBe("false");
    expect(env.CLOUDFLARE_CF_FETCH_ENABLED).toBe("false");
  });
});
