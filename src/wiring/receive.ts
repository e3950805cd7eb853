// Receiving updates: a webhook server (which also answers /healthz and /metrics), or long polling
// with health and metrics on a port of their own.
import http from "node:http";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { type Bot, webhookCallback } from "grammy";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { longPollSeconds } from "../bot/bot.ts";
import type { BotContext } from "../bot/context.ts";
import type { HealthMonitor } from "../ops/health.ts";
import { handleOpsRequest, startOpsServer } from "../ops/http.ts";
import type { PrometheusMetrics } from "../ops/prometheus.ts";

export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "callback_query",
  "my_chat_member",
  "channel_post",
] as const;

export interface ReceiverSources {
  config: Config;
  logger: Logger;
  bot: Bot<BotContext>;
  health: HealthMonitor;
  metrics: PrometheusMetrics;
  /** long polling stopped for good (401, 409): the app cannot go on */
  onFatal?: (reason: string) => void;
}

export class UpdateReceiver {
  private runner: RunnerHandle | null = null;
  private server: http.Server | null = null;
  private opsServer: http.Server | null = null;
  /** webhook deliveries being handled (the runner counts its own) */
  private deliveries = 0;

  constructor(private readonly sources: ReceiverSources) {}

  /** where Telegram posts updates (undefined: long polling) */
  get webhookUrl(): string | undefined {
    const { config } = this.sources;
    return config.BOT_MODE === "webhook" ? config.WEBHOOK_URL : undefined;
  }

  /** where /healthz and /metrics answer (null: not served) */
  address(): { host: string; port: number } | null {
    const address = (this.server ?? this.opsServer)?.address();
    return address && typeof address === "object"
      ? { host: address.address, port: address.port }
      : null;
  }

  /**
   * Updates received and not yet handled to the end: the runner's in-flight count when polling
   * (it confirms updates to Telegram as it fetches the next batch, not as it finishes them), the
   * deliveries being answered in webhook mode.
   */
  updatesInHand(): number {
    return (this.runner?.isRunning() ? this.runner.size() : 0) + this.deliveries;
  }

  async start(): Promise<void> {
    const url = this.webhookUrl;
    if (url) await this.startWebhook(url);
    else await this.startPolling();
  }

  async stop(): Promise<void> {
    if (this.runner?.isRunning()) await this.runner.stop();
    const { server, opsServer } = this;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (opsServer) await new Promise<void>((resolve) => opsServer.close(() => resolve()));
  }

  private get ops() {
    const { health, metrics, logger } = this.sources;
    return { health, metrics, logger };
  }

  private async startWebhook(url: string): Promise<void> {
    const { config, bot, logger } = this.sources;
    const path = new URL(url).pathname;
    const handle = webhookCallback(bot, "http", {
      secretToken: config.WEBHOOK_SECRET,
      onTimeout: "return",
    });
    const ops = this.ops;
    const server = http.createServer((req, res) => {
      if (req.method === "POST" && req.url === path) {
        this.deliveries++;
        res.once("close", () => this.deliveries--);
        return void handle(req, res);
      }
      if (!handleOpsRequest(ops, req, res)) res.writeHead(404).end();
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
    await bot.api.setWebhook(url, {
      secret_token: config.WEBHOOK_SECRET,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    logger.info({ url, port: config.PORT }, "receiving updates by webhook");
  }

  private async startPolling(): Promise<void> {
    const { config, bot, logger } = this.sources;
    // health and metrics on a port of their own; a busy port must not keep the bot down
    try {
      this.opsServer = await startOpsServer(this.ops, config.METRICS_PORT, config.METRICS_HOST);
      logger.info(this.opsServer.address(), "health and metrics at /healthz and /metrics");
    } catch (err) {
      logger.error({ err, port: config.METRICS_PORT }, "could not serve /healthz and /metrics");
    }
    await bot.api.deleteWebhook();
    this.runner = run(bot, {
      runner: {
        fetch: {
          allowed_updates: [...ALLOWED_UPDATES],
          timeout: longPollSeconds(config.TELEGRAM_TIMEOUT_SECONDS),
        },
      },
    });
    // The runner gives up on 401 and 409 (another process polls the same token, perhaps on
    // another database): say so plainly and stop, rather than sit there deaf.
    this.runner.task()?.catch((err: unknown) => {
      const code = (err as { error_code?: unknown }).error_code;
      const reason =
        code === 409
          ? "Telegram answered 409 Conflict: another process is polling this bot token"
          : "long polling stopped";
      logger.fatal({ err }, reason);
      this.sources.onFatal?.(reason);
    });
    logger.info({ bot: bot.botInfo.username }, "receiving updates by long polling");
  }
}
