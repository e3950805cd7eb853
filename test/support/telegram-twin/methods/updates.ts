// getUpdates (long polling), setWebhook, deleteWebhook and getWebhookInfo. Only one consumer per
// token: a new getUpdates ends the waiting one with 409, and getUpdates while a webhook is set
// answers 409 as well.
import type { Update, WebhookInfo } from "grammy/types";
import { badRequest, conflict, Descriptions } from "../api-error.ts";
import { type MethodContext, WithDescription } from "./context.ts";

/** The Bot API caps long-poll timeouts at 50 seconds. */
const LONG_POLL_MAX_TIMEOUT_SECONDS = 50;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function readAllowedUpdates(ctx: MethodContext): string[] | undefined {
  const allowed = ctx.params.json<unknown>("allowed_updates", () =>
    badRequest("can't parse allowed_updates JSON object"),
  );
  if (allowed === undefined) return undefined;
  if (!Array.isArray(allowed) || !allowed.every((type) => typeof type === "string")) {
    throw badRequest("allowed_updates must be an Array of Strings");
  }
  return allowed;
}

export function getUpdates(ctx: MethodContext): Promise<Update[]> {
  if (ctx.bot.webhook) throw conflict(Descriptions.conflictWebhookActive);
  const limit = clamp(ctx.params.int("limit") ?? 100, 1, 100);
  const timeout = clamp(ctx.params.int("timeout") ?? 0, 0, LONG_POLL_MAX_TIMEOUT_SECONDS);
  ctx.bot.setAllowedUpdates(readAllowedUpdates(ctx));
  ctx.bot.confirm(ctx.params.int("offset"));
  return ctx.bot.longPoll(limit, timeout * 1000, ctx.clientGone);
}

/**
 * The twin delivers only to this machine's loopback interface; http is allowed (Telegram
 * insists on https) so tests need no certificates.
 */
function checkWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest("invalid webhook URL specified");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw badRequest("invalid webhook URL specified");
  if (!["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname)) {
    throw badRequest("bad webhook: the twin delivers webhooks to 127.0.0.1 only");
  }
}

export function setWebhook(ctx: MethodContext): WithDescription {
  const url = ctx.params.string("url") ?? "";
  if (ctx.params.bool("drop_pending_updates")) ctx.bot.dropPending();
  if (url === "") return removeWebhook(ctx);

  checkWebhookUrl(url);
  const secretToken = ctx.params.string("secret_token") ?? "";
  if (secretToken.length > 256) throw badRequest("secret token is too long");
  if (!/^[A-Za-z0-9_-]*$/.test(secretToken))
    throw badRequest("secret token contains unallowed characters");
  const maxConnections = clamp(ctx.params.int("max_connections") ?? 40, 1, 100);
  ctx.bot.setAllowedUpdates(readAllowedUpdates(ctx));

  const previous = ctx.bot.webhook;
  if (previous && previous.url === url && (previous.secretToken ?? "") === secretToken) {
    return new WithDescription(true, "Webhook is already set");
  }
  ctx.bot.endPoll(conflict(Descriptions.conflictSetWebhook));
  ctx.bot.webhook = { url, maxConnections, ...(secretToken ? { secretToken } : {}) };
  delete ctx.bot.webhookLastError;
  ctx.services.webhookChanged(ctx.bot);
  return new WithDescription(true, "Webhook was set");
}

function removeWebhook(ctx: MethodContext): WithDescription {
  const had = ctx.bot.webhook !== null;
  ctx.bot.webhook = null;
  delete ctx.bot.webhookLastError;
  ctx.services.webhookChanged(ctx.bot);
  return new WithDescription(true, had ? "Webhook was deleted" : "Webhook is already deleted");
}

export function deleteWebhook(ctx: MethodContext): WithDescription {
  if (ctx.params.bool("drop_pending_updates")) ctx.bot.dropPending();
  return removeWebhook(ctx);
}

export function getWebhookInfo(ctx: MethodContext): WebhookInfo {
  const { webhook, webhookLastError } = ctx.bot;
  return {
    url: webhook?.url ?? "",
    has_custom_certificate: false,
    pending_update_count: ctx.bot.updates.length,
    ...(webhook ? { max_connections: webhook.maxConnections } : {}),
    ...(webhookLastError
      ? { last_error_date: webhookLastError.date, last_error_message: webhookLastError.message }
      : {}),
  };
}
