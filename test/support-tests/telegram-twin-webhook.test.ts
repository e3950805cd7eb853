// Webhook mode and the single-consumer rules: updates POSTed to a local server (grammY's own
// webhookCallback), retries with the error visible in getWebhookInfo, methods answered in the
// webhook response, 409 for getUpdates during a webhook and for competing pollers, and a stop()
// that leaves nothing running.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Api, Bot, GrammyError, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { TelegramTwin } from "../support/telegram-twin/index.ts";
import { startBot } from "./twin-harness.ts";

interface Received {
  headers: http.IncomingHttpHeaders;
  update: Update;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

let twin: TelegramTwin | undefined;
const servers: http.Server[] = [];

afterEach(async () => {
  await twin?.stop();
  twin = undefined;
  for (const server of servers.splice(0)) await close(server);
});

describe("webhook mode", () => {
  it("pushes updates to grammY's webhookCallback with the secret token", async () => {
    twin = await TelegramTwin.start();
    const bot = new Bot(twin.bot.token, { client: { apiRoot: twin.apiRoot } });
    bot.command("ping", (ctx) => ctx.reply("pong"));
    const server = http.createServer(
      webhookCallback(bot, "http", { secretToken: "s3cret_Token-1" }),
    );
    servers.push(server);
    const url = await listen(server);

    await bot.api.setWebhook(url, { secret_token: "s3cret_Token-1" });
    const polling = await new Api(twin.bot.token, { apiRoot: twin.apiRoot })
      .getUpdates()
      .catch((e: unknown) => e);
    expect(polling).toBeInstanceOf(GrammyError);
    expect((polling as GrammyError).error_code).toBe(409);
    expect((polling as GrammyError).description).toBe(
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );

    const user = twin.user({ id: 4001, first_name: "Olga" });
    user.send("/ping");
    expect((await twin.waitForMessage(user.chatId)).text).toBe("pong");
    await twin.waitForIdle();
    expect(await bot.api.getWebhookInfo()).toMatchObject({ url, pending_update_count: 0 });
  });

  it("retries failed deliveries, reports the error and runs a method given in the response", async () => {
    twin = await TelegramTwin.start({ webhookRetryDelaysMs: [20] });
    const received: Received[] = [];
    let failuresLeft = 2;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const update = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Update;
        received.push({ headers: req.headers, update });
        if (failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(503, "Service Unavailable").end();
          return;
        }
        const chatId = update.message?.chat.id;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            method: "sendMessage",
            chat_id: chatId,
            text: "answered in the response",
          }),
        );
      });
    });
    servers.push(server);
    const url = await listen(server);
    const api = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
    const user = twin.user({ id: 4002, first_name: "Petr" });
    user.send("queued before the webhook");

    const set = await fetch(`${twin.apiRoot}/bot${twin.bot.token}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url, secret_token: "abc", drop_pending_updates: true }),
    });
    expect(await set.json()).toEqual({ ok: true, result: true, description: "Webhook was set" });

    user.send("hello webhook");
    const reply = await twin.waitForMessage(
      user.chatId,
      (m) => m.text === "answered in the response",
    );
    expect(reply.sender).toBe("bot");
    expect(received).toHaveLength(3); // two failures, then success
    expect(received.every((r) => r.headers["x-telegram-bot-api-secret-token"] === "abc")).toBe(
      true,
    );
    expect(received.every((r) => r.update.message?.text === "hello webhook")).toBe(true);
    expect(new Set(received.map((r) => r.update.update_id)).size).toBe(1);
    expect(twin.callsTo("sendMessage")[0]?.via).toBe("webhook-reply");
    const info = await api.getWebhookInfo();
    expect(info.last_error_message).toBe(
      "Wrong response from the webhook: 503 Service Unavailable",
    );
    expect(info.pending_update_count).toBe(0);

    // back to polling: deleteWebhook, and updates are queued for getUpdates again
    await api.deleteWebhook();
    user.send("after the webhook");
    const updates = await api.getUpdates({ timeout: 0 });
    expect(updates.map((u) => u.message?.text)).toEqual(["after the webhook"]);
    expect(received).toHaveLength(3);
  });

  it("refuses webhook URLs outside this machine", async () => {
    twin = await TelegramTwin.start();
    const api = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
    const error = await api.setWebhook("https://example.com/hook").catch((e: unknown) => e);
    expect((error as GrammyError).description).toMatch(/^Bad Request: bad webhook: /);
  });
});

describe("one consumer per token", () => {
  it("ends the first of two concurrent getUpdates with 409", async () => {
    twin = await TelegramTwin.start();
    const first = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
    const second = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
    const pending = first.getUpdates({ timeout: 10 }).catch((e: unknown) => e);
    // give the first poll time to reach the twin and start waiting
    await new Promise((resolve) => setTimeout(resolve, 50));
    const secondPoll = second.getUpdates({ timeout: 1 });
    const conflict = await pending;
    expect(conflict).toBeInstanceOf(GrammyError);
    expect((conflict as GrammyError).error_code).toBe(409);
    expect((conflict as GrammyError).description).toBe(
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    );
    const user = twin.user({ id: 4003, first_name: "Rita" });
    user.send("wakes the second poll");
    expect((await secondPoll).map((u) => u.message?.text)).toEqual(["wakes the second poll"]);
  });

  it("makes grammY's bot.start fail with 409 when another instance is polling", async () => {
    twin = await TelegramTwin.start();
    const running = await startBot(twin, () => {});
    try {
      const rival = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
      const rivalPoll = rival.getUpdates({ timeout: 5 });
      // the running bot's waiting poll is terminated by the rival's, and grammY gives up on 409
      await twin.waitForCalls("getUpdates", 1, { ok: false });
      await expect(running.done).rejects.toMatchObject({ error_code: 409 });
      expect(running.bot.isRunning()).toBe(false);
      const user = twin.user({ id: 4005, first_name: "Tom" });
      user.send("for the rival");
      expect((await rivalPoll).map((u) => u.message?.text)).toEqual(["for the rival"]);
    } finally {
      await running.stop().catch(() => undefined);
    }
  });
});

describe("stop()", () => {
  it("ends waiting long polls and closes every socket", async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r.startsWith("TCP")).length;
    const local = await TelegramTwin.start();
    const api = new Api(local.bot.token, { apiRoot: local.apiRoot });
    const user = local.user({ id: 4004, first_name: "Sam" });
    await api.sendMessage(user.chatId, "keep-alive socket now open");
    const poll = api.getUpdates({ timeout: 30 });
    await new Promise((resolve) => setTimeout(resolve, 30));

    const stopped = Date.now();
    await local.stop();
    expect(await poll).toEqual([]);
    expect(Date.now() - stopped).toBeLessThan(1000);

    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = process.getActiveResourcesInfo().filter((r) => r.startsWith("TCP")).length;
    expect(after).toBeLessThanOrEqual(before);
    await expect(fetch(`${local.apiRoot}/bot${local.bot.token}/getMe`)).rejects.toThrow();
  });
});
