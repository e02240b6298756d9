import type { Env as WorkerEnv } from "../src/worker/env.ts";

// `env` from cloudflare:test carries the Worker's own bindings.
declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
  }
}
