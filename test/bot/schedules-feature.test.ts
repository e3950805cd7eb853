// /schedules, its buttons, /report and the /newschedule conversation, driven through grammY with
// real updates against real services on SQLite and PostgreSQL. Only the Telegram Bot API is
// replaced: an API transformer records each call and answers as Telegram would, so the handlers,
// middlewares, i18n and conversations are the production ones.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { conversations, createConversation } from "@grammyjs/conversations";
import { Bot, Composer } from "grammy";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { CommandRegistry } from "../../src/bot/commands/registry.ts";
import type { BotContext, ConvContext } from "../../src/bot/context.ts";
import { NEW_SCHEDULE, newSchedule } from "../../src/bot/features/schedules/schedule-create.ts";
import type { BotDeps } from "../../src/bot/deps.ts";
import { registerSchedules, schedulesFeature } from "../../src/bot/features/schedules/schedules.ts";
import { createI18n } from "../../src/bot/i18n.ts";
import { commandGuard } from "../../src/bot/middlewares/access.ts";
import { errorBoundary } from "../../src/bot/middlewares/error-boundary.ts";
import { loadUser } from "../../src/bot/middlewares/load-user.ts";
import { updateContext } from "../../src/bot/middlewares/update-context.ts";
import { Notifier } from "../../src/bot/notifier.ts";
import { SecretInbox } from "../../src/bot/secret-inbox.ts";
import { loadConfig } from "../../src/config.ts";
import { ChatService } from "../../src/domain/notifications/chat-service.ts";
import { NotificationService } from "../../src/domain/notifications/notification-service.ts";
import { PnlService } from "../../src/domain/pnl/pnl-service.ts";
import { ReportService } from "../../src/domain/reports/report-service.ts";
import { ScheduleService } from "../../src/domain/schedules/schedule-service.ts";
import type { Services } from "../../src/domain/services.ts";
import type { Actor } from "../../src/domain/users/actor.ts";
import { SYSTEM } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase } from "../support/db.ts";
import {
  type Call,
  TEST_BOT_INFO,
  UpdateDriver,
  callButtons,
  callTexts,
  callbackAnswers,
} from "../support/in-process-bot.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../support/fixtures.ts";
import { LinearMarket, futureDayStart } from "../domain/reports/support.ts";
import { useTestWorld } from "../support/test-world.ts";

interface FakeTelegram {
  url: string;
  calls: Call[];
  close(): Promise<void>;
}

/**
 * A minimal Bot API on 127.0.0.1: records every method call (JSON or multipart, as grammY sends
 * uploads) and answers as Telegram would. Conversations build their own Api objects, so the fake
 * has to be a server rather than an API transformer; replayed conversation steps never reach it.
 */
async function startFakeTelegram(): Promise<FakeTelegram> {
  const calls: Call[] = [];
  let messageId = 5000;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = (req.url ?? "").split("/").pop() ?? "";
      const body = Buffer.concat(chunks);
      const type = req.headers["content-type"] ?? "";
      const payload = type.includes("multipart/form-data")
        ? multipartFields(body, type)
        : (JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>);
      calls.push({ method, payload });
      const chat = { id: Number(payload.chat_id ?? 0), type: "private" };
      const message = { message_id: ++messageId, date: 0, chat, text: "" };
      const result = /^(send|edit)/.test(method) && method !== "sendChatAction" ? message : true;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Form fields of a multipart body; JSON-looking values parsed, file parts as their size. */
function multipartFields(body: Buffer, contentType: string): Record<string, unknown> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const marker = `--${boundary?.[1] ?? boundary?.[2] ?? ""}`;
  const out: Record<string, unknown> = {};
  for (const part of body.toString("latin1").split(marker)) {
    const name = /name="([^"]+)"/.exec(part)?.[1];
    const split = part.indexOf("\r\n\r\n");
    if (!name || split < 0) continue;
    const raw = part.slice(split + 4).replace(/\r\n$/, "");
    if (/filename=/.test(part)) {
      out[name] = { bytes: raw.length };
      continue;
    }
    const text = Buffer.from(raw, "latin1").toString("utf8");
    out[name] = /^[[{]/.test(text) ? (JSON.parse(text) as unknown) : text;
  }
  return out;
}

describe.each(PROVIDERS)("schedules in the bot on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let bot: Bot<BotContext>;
  let services: Services & {
    chats: ChatService;
    notifications: NotificationService;
    schedules: ScheduleService;
    reports: ReportService;
  };
  let telegram: FakeTelegram;
  let driver: UpdateDriver;
  const T0 = futureDayStart();

  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    world.clock.set(new Date(T0.getTime() + 10 * 3_600_000));
    const market = new LinearMarket(T0, world.clock);
    const base = world.services;
    const pnl = new PnlService(base.ctx, base.portfolios, base.positions, base.instruments, market);
    services = {
      ...base,
      pnl,
      chats: new ChatService(base.ctx),
      notifications: new NotificationService(base.ctx),
      schedules: new ScheduleService(base.ctx, base.portfolios),
      reports: new ReportService(base.ctx, {
        portfolios: base.portfolios,
        pnl,
        history: market,
        marks: market,
      }),
    };
    const config = loadConfig({
      BOT_TOKEN: "123456:TESTTOKEN_abcdefghij",
      ADMIN_TELEGRAM_IDS: "1",
      DATABASE_URL: tdb.url,
    });
    const i18n = createI18n("en");
    const deps: BotDeps = {
      config,
      logger: pino({ level: "silent" }),
      i18n,
      registry: new CommandRegistry(),
      services,
      market: Object.assign(Object.create(null) as object, {
        name: "test",
        synthetic: true,
      }) as BotDeps["market"],
      notifier: new Notifier(services, i18n, "en"),
      secretInbox: new SecretInbox(),
    };
    telegram = await startFakeTelegram();
    bot = new Bot<BotContext>(config.BOT_TOKEN, {
      botInfo: TEST_BOT_INFO,
      client: { apiRoot: telegram.url },
    });
    driver = new UpdateDriver(bot, () => telegram.calls);
    bot.use(updateContext(deps));
    bot.use(loadUser());
    bot.use(deps.i18n);
    bot.use(errorBoundary());
    bot.use(
      conversations<BotContext, ConvContext>({
        plugins: [
          async (ctx, next) => {
            ctx.deps = deps;
            ctx.user = ctx.from ? await services.users.findByTelegramId(String(ctx.from.id)) : null;
            ctx.actor = ctx.user ? services.users.actorOf(ctx.user) : null;
            await next();
          },
          deps.i18n,
        ],
      }),
    );
    bot.use(createConversation(newSchedule, NEW_SCHEDULE));
    registerSchedules(deps.registry);
    const commands = new Composer<BotContext>();
    deps.registry.install(commands, commandGuard);
    bot.use(commands);
    bot.use(schedulesFeature());
  });
  afterAll(async () => {
    await telegram.close();
  });

  async function person(name: string) {
    const actor = await approvedUser(world, name);
    const user = await services.users.getById(actor.id);
    const telegramId = Number(user.telegramUserId);
    const portfolio = await paperPortfolio(world, actor, { name: `${name} main`, cash: "10000" });
    await services.chats.registerPrivateChat(actor.id, user.telegramUserId);
    const chat = (await services.schedules.destinations(actor))[0]!;
    return { actor, telegramId, portfolio, privateChatId: chat.id };
  }

  const send = (userId: number, text: string) => driver.send(userId, text);
  const press = (userId: number, data: string) => driver.press(userId, data);
  const texts = callTexts;
  const buttonsOf = callButtons;
  const alerts = callbackAnswers;

  it("lists schedules with their next run and buttons, and says so when there are none", async () => {
    const alice = await person("Alice");
    expect(texts(await send(alice.telegramId, "/schedules")).join("\n")).toContain(
      "You have no schedules yet",
    );
    const s = await services.schedules.create(alice.actor, {
      name: "Evening summary",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: alice.portfolio.id },
      when: { preset: "evenings" },
    });
    const out = await send(alice.telegramId, "/schedules");
    const text = texts(out).join("\n");
    expect(text).toContain("Evening summary");
    expect(text).toContain("Every day at 18:00 (UTC)");
    expect(text).toContain("private chat");
    expect(text).toContain(`Next run: ${s.nextRunAt!.toISOString().slice(0, 10)} 18:00`);
    expect(buttonsOf(out)).toEqual([`sch:p:${s.id}:1`, `sch:n:${s.id}:1`, `sch:x:${s.id}:1`]);
  });

  it("pauses and resumes on a press, and refuses another user's schedule", async () => {
    const carol = await person("Carol");
    const dave = await person("Dave");
    const s = await services.schedules.create(carol.actor, {
      name: "Carol hourly",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: carol.portfolio.id },
      when: { preset: "hourly" },
    });
    const denied = await press(dave.telegramId, `sch:p:${s.id}:1`);
    expect(alerts(denied).join()).toContain("does not exist or is not yours");
    expect((await services.schedules.get(carol.actor, s.id)).isActive).toBe(true);
    for (const forged of [`sch:n:${s.id}:1`, `sch:X:${s.id}:1`]) {
      expect(alerts(await press(dave.telegramId, forged)).join()).toContain("not yours");
    }
    expect((await services.schedules.get(carol.actor, s.id)).isActive).toBe(true);

    const paused = await press(carol.telegramId, `sch:p:${s.id}:1`);
    expect(alerts(paused)).toContain("Paused “Carol hourly”.");
    expect(texts(paused.filter((c) => c.method === "editMessageText")).join()).toContain("Paused.");
    expect(buttonsOf(paused)).toContain(`sch:r:${s.id}:1`);
    expect((await services.schedules.get(carol.actor, s.id)).isActive).toBe(false);
    await press(carol.telegramId, `sch:r:${s.id}:1`);
    expect((await services.schedules.get(carol.actor, s.id)).isActive).toBe(true);
    // garbage in the callback data changes nothing
    expect(alerts(await press(carol.telegramId, "sch:p:abc:1"))).toEqual([
      "This button is no longer valid.",
    ]);
  });

  it("runs a schedule now through the outbox, once per minute, and deletes after confirmation", async () => {
    const erin = await person("Erin");
    await services.trades.ingestFill(SYSTEM, {
      portfolioId: erin.portfolio.id,
      symbol: "BTCUSDT",
      side: "BUY",
      quantity: new Decimal("0.1"),
      price: new Decimal("40100"),
      execTime: new Date(T0.getTime() + 3_600_000),
      brokerTradeId: `bot-${provider}-1`,
    });
    const s = await services.schedules.create(erin.actor, {
      name: "Erin summary",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: erin.portfolio.id, period: "today" },
      when: { preset: "weekdays" },
    });
    expect(alerts(await press(erin.telegramId, `sch:n:${s.id}:1`)).join()).toContain("on its way");
    const rows = await tdb.db.prisma.notificationOutbox.findMany({
      where: { dedupeKey: { startsWith: `schedule:${s.id}:manual:` } },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      chatId: erin.privateChatId,
      type: "REPORT",
      title: "📊 Erin main — summary",
    });
    expect(rows[0]!.message).toContain("Run on request.");
    expect(rows[0]!.message).toContain("<pre>");
    expect(rows[0]!.attachment).not.toBeNull();
    expect(alerts(await press(erin.telegramId, `sch:n:${s.id}:1`)).join()).toContain(
      "already sent",
    );

    const ask = await press(erin.telegramId, `sch:x:${s.id}:1`);
    expect(texts(ask).join()).toContain("Delete the schedule “Erin summary”?");
    expect(buttonsOf(ask)).toEqual([`sch:X:${s.id}:1`, "sch:pg:1"]);
    await press(erin.telegramId, `sch:X:${s.id}:1`);
    await expect(services.schedules.get(erin.actor, s.id)).rejects.toThrow();
  });

  it("sends /report as a chart photo followed by the summary", async () => {
    const fay = await person("Fay");
    const out = await send(fay.telegramId, "/report today");
    const photo = out.find((c) => c.method === "sendPhoto");
    expect(photo).toBeDefined();
    // uploaded as a file (multipart, "attach://<part>"), the caption starting with the bold title
    const part = String(photo!.payload.photo).replace("attach://", "");
    expect((photo!.payload[part] as { bytes: number }).bytes).toBeGreaterThan(5000);
    expect((photo!.payload.caption_entities as unknown[])[0]).toMatchObject({
      type: "bold",
      offset: 0,
    });
    const caption = String(photo!.payload.caption);
    const text = texts(out.filter((c) => c.method === "sendMessage")).join("\n");
    expect(`${caption}\n${text}`).toContain("Fay main — summary");
    expect(`${caption}\n${text}`).toContain("No open positions.");
    const bad = await send(fay.telegramId, "/report Nonexistent week");
    expect(texts(bad).join()).toContain("You have no portfolio called “Nonexistent”");
  });

  it("creates a schedule in the /newschedule conversation, explaining a bad expression", async () => {
    const gus = await person("Gus");
    const chatId = gus.telegramId;
    expect(texts(await send(chatId, "/newschedule")).join()).toContain("What should be scheduled?");
    await press(chatId, "nsc:k:pnl");
    const period = await press(chatId, "nsc:pd:week");
    expect(texts(period).join()).toContain("When should it run?");
    expect(buttonsOf(period)).toContain("nsc:w:custom");
    expect(texts(await press(chatId, "nsc:w:custom")).join()).toContain("Type a cron expression");
    const bad = texts(await send(chatId, "61 9 * * *")).join();
    expect(bad).toContain("is not a valid cron expression");
    expect(bad).toContain("0 9 * * 1-5");
    const never = texts(await send(chatId, "0 9 31 2 *")).join();
    expect(never).toContain("never runs");
    const preview = await send(chatId, "30 8 * * 1-5");
    const shown = texts(preview).join();
    expect(shown).toContain("30 8 * * 1-5");
    expect(shown.match(/^• \d{4}-\d\d-\d\d 08:30$/gm)).toHaveLength(5);
    expect(buttonsOf(preview)).toEqual(["nsc:cf:yes", "nsc:cf:no"]);
    const name = await press(chatId, "nsc:cf:yes");
    expect(buttonsOf(name)).toEqual(["nsc:nm"]);
    const saved = texts(await press(chatId, "nsc:nm")).join();
    expect(saved).toContain("Saved “PnL report · Gus main”.");
    const list = await services.schedules.list(gus.actor as Actor);
    expect(list.schedules).toHaveLength(1);
    expect(list.schedules[0]).toMatchObject({
      cron: "30 8 * * 1-5",
      target: { kind: "PNL_REPORT", portfolioId: gus.portfolio.id, period: "week" },
      chatId: null,
    });
  });

  it("takes every period it offers, yesterday too (its button once matched no pattern)", async () => {
    const hal = await person("Hal");
    const chatId = hal.telegramId;
    await send(chatId, "/newschedule");
    const kind = await press(chatId, "nsc:k:pnl");
    expect(buttonsOf(kind)).toContain("nsc:pd:yesterday");
    const period = await press(chatId, "nsc:pd:yesterday");
    expect(texts(period).join()).toContain("When should it run?");
    await press(chatId, "nsc:w:custom");
    const preview = await send(chatId, "30 8 * * 1-5");
    expect(buttonsOf(preview)).toEqual(["nsc:cf:yes", "nsc:cf:no"]);
    await press(chatId, "nsc:cf:yes");
    await press(chatId, "nsc:nm");
    const list = await services.schedules.list(hal.actor as Actor);
    expect(list.schedules[0]?.target).toMatchObject({ kind: "PNL_REPORT", period: "yesterday" });
  });
});
