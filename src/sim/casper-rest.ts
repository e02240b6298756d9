import type { IncomingMessage, ServerResponse } from "node:http";
import { buildMetrics } from "./casper-metrics.ts";
import { apiVersionOf, buildStatus } from "./casper-payloads.ts";
import { sendJson, sendText } from "./http-port.ts";
import type { RequestScope, SimNodeContext } from "./node-context.ts";

/**
 * The node's REST port (8888): `GET /status` and `GET /metrics` (HTTP 500 `metrics not available`
 * under the `metrics-unavailable` fault); other paths 404 as warp does, with an empty body.
 */
export function restHandler(node: SimNodeContext) {
  return (req: IncomingMessage, res: ServerResponse, scope: RequestScope): void => {
    req.resume();
    const path = new URL(req.url ?? "/", "http://sim").pathname;
    if (path !== "/status" && path !== "/metrics" && path !== "/validator-changes") {
      sendText(res, 404, "");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendText(res, 405, "HTTP method not allowed");
      return;
    }
    if (path === "/status") sendJson(res, 200, buildStatus(node, scope, false));
    else if (path === "/validator-changes")
      sendJson(res, 200, {
        api_version: apiVersionOf(node.version),
        changes: node.validators.changes(scope.block.height),
      });
    else if (scope.fault.fault === "metrics-unavailable") {
      // rest_server/filters.rs: the metrics component could not render its registry.
      sendText(res, 500, "metrics not available");
    } else sendText(res, 200, buildMetrics(node, scope), "text/plain; version=0.0.4");
  };
}
