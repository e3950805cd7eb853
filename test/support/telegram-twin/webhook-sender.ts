// Webhook mode: pushes a bot's updates one at a time, in order, as JSON POSTs to its webhook URL
// (with X-Telegram-Bot-Api-Secret-Token when a secret was set). A delivery counts when the
// server answers 2xx; otherwise the error is kept for getWebhookInfo and the update is retried
// after a growing delay. A JSON body with a "method" in a 2xx answer is executed as an API call,
// as Telegram does. Connections are not kept alive, so nothing lingers after stop().
import http from "node:http";
import https from "node:https";
import type { Update } from "grammy/types";
import type { BotRecord, WebhookConfig } from "./bot-state.ts";

export interface WebhookHost {
  now(): number;
  setBusy(key: object, method: string | undefined): void;
  executeWebhookReply(bot: BotRecord, body: Record<string, unknown>): Promise<void>;
}

interface DeliveryOutcome {
  ok: boolean;
  error?: string;
  retryAfterMs?: number;
  reply?: Record<string, unknown>;
}

const DELIVERY_TIMEOUT_MS = 30_000;

export class WebhookSender {
  private running = false;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private request: http.ClientRequest | undefined;

  constructor(
    private readonly host: WebhookHost,
    private readonly bot: BotRecord,
    private readonly retryDelaysMs: readonly number[],
  ) {}

  /** Starts delivering if there is something to deliver and no delivery loop runs. */
  kick(): void {
    if (this.stopped || this.running || !this.bot.webhook || this.bot.updates.length === 0) return;
    this.running = true;
    void this.loop().finally(() => {
      this.running = false;
      this.host.setBusy(this, undefined);
      // an update may have arrived while the loop was finishing
      if (!this.stopped) queueMicrotask(() => this.kick());
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.wakeUp?.();
    this.request?.destroy();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const hook = this.bot.webhook;
      const update = this.bot.updates[0];
      if (!hook || !update) return;
      this.host.setBusy(this, "webhook delivery");
      const outcome = await this.deliver(hook, update);
      if (this.stopped) return;
      if (outcome.ok) {
        failures = 0;
        this.bot.confirmOne(update.update_id);
        if (outcome.reply) await this.host.executeWebhookReply(this.bot, outcome.reply);
        continue;
      }
      this.bot.webhookLastError = {
        date: Math.floor(this.host.now() / 1000),
        message: outcome.error ?? "Webhook delivery failed",
      };
      const delay =
        outcome.retryAfterMs ??
        this.retryDelaysMs[Math.min(failures, this.retryDelaysMs.length - 1)] ??
        1000;
      failures++;
      this.host.setBusy(this, undefined);
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.retryTimer = setTimeout(resolve, delay);
      });
      this.wakeUp = undefined;
    }
  }

  private deliver(hook: WebhookConfig, update: Update): Promise<DeliveryOutcome> {
    const body = Buffer.from(JSON.stringify(update), "utf8");
    const url = new URL(hook.url);
    const client = url.protocol === "https:" ? https : http;
    return new Promise<DeliveryOutcome>((resolve) => {
      const request = client.request(
        url,
        {
          method: "POST",
          agent: false,
          // loopback only; a test server's certificate is self-signed
          ...(url.protocol === "https:" ? { rejectUnauthorized: false } : {}),
          headers: {
            "content-type": "application/json",
            "content-length": body.length,
            connection: "close",
            ...(hook.secretToken ? { "x-telegram-bot-api-secret-token": hook.secretToken } : {}),
          },
          timeout: DELIVERY_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error) => resolve({ ok: false, error: error.message }));
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status <= 299) {
              resolve({
                ok: true,
                ...webhookReply(response.headers["content-type"], Buffer.concat(chunks)),
              });
              return;
            }
            const retryAfter = Number(response.headers["retry-after"]);
            resolve({
              ok: false,
              error:
                `Wrong response from the webhook: ${status} ${response.statusMessage ?? ""}`.trimEnd(),
              ...(Number.isFinite(retryAfter) && retryAfter > 0
                ? { retryAfterMs: retryAfter * 1000 }
                : {}),
            });
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error("Read timeout expired")));
      request.on("error", (error: NodeJS.ErrnoException) =>
        resolve({
          ok: false,
          error: error.code === "ECONNREFUSED" ? "Connection refused" : error.message,
        }),
      );
      this.request = request;
      request.end(body);
    });
  }
}

function webhookReply(
  contentType: string | undefined,
  body: Buffer,
): { reply?: Record<string, unknown> } {
  if (body.length === 0 || !(contentType ?? "").includes("json")) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (
      parsed &&
      typeof parsed === "object" &&
      typeof (parsed as { method?: unknown }).method === "string"
    ) {
      return { reply: parsed as Record<string, unknown> };
    }
  } catch {
    // a body that is not JSON is ignored, like Telegram does
  }
  return {};
}
