// The HTTP face of the twin: routes /bot<token>/<method> (GET or POST) to the core and writes
// Telegram's JSON replies with the matching HTTP status. Listens on 127.0.0.1 only.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError } from "./api-error.ts";
import type { TwinCore } from "./core.ts";
import { Params } from "./params.ts";
import { readRequestInput } from "./request-body.ts";

const ROUTE = /^\/bot([^/]+)\/([^/]*)$/;

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export async function startServer(core: TwinCore, port = 0): Promise<RunningServer> {
  /** Requests not yet answered. */
  const answering = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    void handle(core, answering, req, res);
  });
  // keep-alive like api.telegram.org; stop() closes idle sockets itself
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    port: address.port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Answers already on their way (long polls just ended with an empty batch) are allowed
      // to finish so clients see them; then every connection, keep-alive ones included, goes.
      await allSettledWithin([...answering].map(finished), CLOSE_GRACE_MS);
      server.closeAllConnections();
      await closed;
    },
  };
}

const CLOSE_GRACE_MS = 500;

function finished(res: http.ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once("finish", () => resolve());
    res.once("close", () => resolve());
  });
}

async function allSettledWithin(promises: Array<Promise<void>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(promises),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

async function handle(
  core: TwinCore,
  answering: Set<http.ServerResponse>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const route = ROUTE.exec(url.pathname);
  if (!route) {
    req.resume();
    send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    return;
  }
  const token = decodeURIComponent(route[1] ?? "");
  const method = route[2] ?? "";
  const isLongPoll = method.toLowerCase() === "getupdates";
  if (!isLongPoll) core.setBusy(req, method);

  const gone = new AbortController();
  answering.add(res);
  res.on("close", () => {
    answering.delete(res);
    if (!res.writableFinished) gone.abort();
  });

  try {
    if (core.stopped) {
      req.resume();
      req.socket.destroy();
      return;
    }
    let params: Params;
    try {
      const input = await readRequestInput(req, url);
      params = new Params(input.params, input.files);
    } catch (error) {
      if (error instanceof ApiError) {
        send(res, error.errorCode, error.toJSON());
        return;
      }
      throw error;
    }
    const outcome = await core.execute({
      token,
      method,
      params,
      clientGone: gone.signal,
      via: "http",
    });
    if (outcome.drop) {
      req.socket.destroy();
      return;
    }
    send(res, outcome.status, outcome.body);
  } catch (error) {
    console.error("telegram-twin: request failed:", error);
    send(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
  } finally {
    if (!isLongPoll) core.setBusy(req, undefined);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = Buffer.from(JSON.stringify(body), "utf8");
  res.writeHead(status, { "content-type": "application/json", "content-length": payload.length });
  res.end(payload);
}
