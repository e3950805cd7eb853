// /healthz and /metrics over HTTP: mounted on the webhook server in webhook mode, or on a server
// of their own (METRICS_PORT, 127.0.0.1 by default) in polling mode.
import http from "node:http";
import type { Logger } from "../logger.ts";
import type { HealthMonitor } from "./health.ts";
import type { PrometheusMetrics } from "./prometheus.ts";

export interface OpsEndpoints {
  health: HealthMonitor;
  metrics: PrometheusMetrics;
  logger: Logger;
}

/** Answers GET /healthz and GET /metrics; returns false for any other request. */
export function handleOpsRequest(
  ops: OpsEndpoints,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (req.method !== "GET" || (path !== "/healthz" && path !== "/metrics")) return false;
  const answer = async () => {
    if (path === "/healthz") {
      const report = await ops.health.report();
      res
        .writeHead(report.ok ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify(report));
      return;
    }
    const body = await ops.metrics.text();
    res.writeHead(200, { "content-type": ops.metrics.contentType() }).end(body);
  };
  answer().catch((err: unknown) => {
    ops.logger.error({ err, path }, "ops endpoint failed");
    if (!res.headersSent) res.writeHead(500).end();
    else res.end();
  });
  return true;
}

/** A server with only the ops endpoints (polling mode). */
export async function startOpsServer(
  ops: OpsEndpoints,
  port: number,
  host: string,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (!handleOpsRequest(ops, req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
