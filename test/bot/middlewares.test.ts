// The middlewares and the error mapping, on a real database: load-user (registration, name refresh,
// private chat), the access guards (pending, rejected, revoked, admin-only, private-only, buttons)
// through the production bot, and the error boundary (domain errors localized in the user's
// language, unexpected errors logged with a reference and never shown, a 403 marking the chat
// inactive). Only the Telegram Bot API is replaced: a transformer records each call and answers.
import { Writable } from "node:stream";
import { Bot, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import type { BotContext } from "../../src/bot/context.ts";
import type { BotDeps } from "../../src/bot/deps.ts";
import { describeDomainError } from "../../src/bot/errors.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { Notifier } from "../../src/bot/notifier.ts";
import { SecretInbox } from "../../src/bot/secret-inbox.ts";
import { errorBoundary } from "../../src/bot/middlewares/error-boundary.ts";
import { loadUser } from "../../src/bot/middlewares/load-user.ts";
import { updateContext } from "../../src/bot/middlewares/update-context.ts";
import { loadConfig } from "../../src/config.ts";
import {
  ConflictError,
  NotFoundError,
  StateError,
  ValidationError,
} from "../../src/domain/errors.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { type Call, TEST_BOT_INFO, recordingTransformer } from "../support/in-process-bot.ts";

const ADMIN = 700001;

let db: TestDatabase;
let app: App;
const calls: Call[] = [];
const logLines: string[] = [];
let updateId = 1;

beforeAll(async () => {
  db = await createTestDatabase("sqlite");
  const config = loadConfig({
    BOT_TOKEN: "123456:TESTTOKENabc",
    ADMIN_TELEGRAM_IDS: String(ADMIN),
    DATABASE_URL: db.url,
    LOG_LEVEL: "error",
    RATE_LIMIT_PER_WINDOW: "1000",
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  app = await createApp(config, {
    logger: pino({ level: "error" }, sink),
    botInfo: TEST_BOT_INFO,
    migrate: false,
  });
  app.bot.api.config.use(recordingTransformer(calls));
});

afterAll(async () => {
  await app?.database.close();
  await db?.drop();
});

interface From {
  id: number;
  first_name: string;
  username?: string;
  language_code?: string;
}

function message(from: From, text: string, chat?: { id: number; type: "group" }): Update {
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      from: { is_bot: false, ...from },
      chat: chat
        ? { ...chat, title: "Desk" }
        : { id: from.id, type: "private", first_name: from.first_name },
      text,
      ...(text.startsWith("/")
        ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] }
        : {}),
    },
  } as Update;
}

function press(from: From, data: string): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: `cb${updateId}`,
      from: { is_bot: false, ...from },
      chat_instance: "ci",
      data,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: from.id, type: "private", first_name: from.first_name },
        text: "card",
      },
    },
  } as Update;
}

/** Handles one update and returns the Bot API calls it made. */
async function handle(update: Update): Promise<Call[]> {
  const before = calls.length;
  await app.bot.handleUpdate(update);
  return calls.slice(before);
}

const replyText = (made: Call[]) =>
  made
    .filter((c) => c.method === "sendMessage")
    .map((c) => String(c.payload.text))
    .join("\n");

const user = async (telegramId: number) =>
  app.database.prisma.user.findUniqueOrThrow({ where: { telegramUserId: String(telegramId) } });

describe("load-user", () => {
  it("registers on first contact, keeps the private chat, and refreshes Telegram names", async () => {
    const ann: From = { id: 5101, first_name: "Ann", username: "ann1", language_code: "en" };
    await handle(message(ann, "/help"));
    expect(await user(5101)).toMatchObject({ status: "PENDING", username: "ann1", isAdmin: false });
    const chats = await app.database.prisma.telegramChat.findMany({
      where: { userId: (await user(5101)).id },
    });
    expect(chats).toHaveLength(1);
    expect(chats[0]).toMatchObject({ chatId: "5101", type: "PRIVATE", isActive: true });

    await handle(message({ ...ann, username: "ann_new" }, "/help"));
    expect((await user(5101)).username).toBe("ann_new");
    expect(await app.database.prisma.user.count({ where: { telegramUserId: "5101" } })).toBe(1);
  });

  it("makes a configured admin an admin on first contact", async () => {
    await handle(message({ id: ADMIN, first_name: "Ada", language_code: "en" }, "/help"));
    expect(await user(ADMIN)).toMatchObject({ isAdmin: true, isActive: true });
  });
});

describe("access guards", () => {
  const pending: From = { id: 5201, first_name: "Pat", language_code: "en" };
  const rejected: From = { id: 5202, first_name: "Rex", language_code: "en" };
  const revoked: From = { id: 5203, first_name: "Ray", language_code: "ru" };
  const trader: From = { id: 5204, first_name: "Tia", language_code: "en" };

  beforeAll(async () => {
    for (const f of [pending, rejected, revoked, trader]) await handle(message(f, "/help"));
    await handle(message({ id: ADMIN, first_name: "Ada" }, "/help"));
    const admin = app.services.users.actorOf(await user(ADMIN));
    // an applicant: someone who only wrote to the bot is taken into onboarding instead
    await app.services.users.submitApplication((await user(pending.id)).id, {});
    await app.services.users.reject(admin, (await user(rejected.id)).id);
    await app.services.users.approve(admin, (await user(revoked.id)).id);
    await app.services.users.deactivate(admin, (await user(revoked.id)).id);
    await app.services.users.approve(admin, (await user(trader.id)).id);
  });

  it("lets everyone use /start and /help", async () => {
    expect(replyText(await handle(message(pending, "/help")))).toContain("/start");
  });

  it("answers a pending applicant that access is pending, and does nothing else", async () => {
    const made = await handle(message(pending, "/buy BTCUSDT 0.01"));
    expect(replyText(made)).toMatch(/waiting for an admin's approval/);
    expect(await app.database.prisma.order.count()).toBe(0);
  });

  it("tells a rejected applicant the request was declined", async () => {
    expect(replyText(await handle(message(rejected, "/positions")))).toMatch(/was declined/);
  });

  it("tells a deactivated user, in their language, that access was revoked", async () => {
    expect(replyText(await handle(message(revoked, "/positions")))).toMatch(/отключил ваш доступ/);
  });

  it("keeps admin commands to admins", async () => {
    expect(replyText(await handle(message(trader, "/users")))).toMatch(/admins only/);
    expect(replyText(await handle(message({ id: ADMIN, first_name: "Ada" }, "/users")))).toMatch(
      /Users/,
    );
  });

  it("answers private-only commands in a group with where to use them", async () => {
    const made = await handle(message(trader, "/buy BTCUSDT 0.01", { id: -100500, type: "group" }));
    expect(replyText(made)).toMatch(/\/buy in a private chat/);
  });

  it("refuses an admin button pressed by a non-admin, with an alert and no change", async () => {
    const target = await user(pending.id);
    const made = await handle(press(trader, `adm:ap:${target.id}`));
    const answer = made.find((c) => c.method === "answerCallbackQuery");
    expect(answer?.payload).toMatchObject({ show_alert: true });
    expect(String(answer?.payload.text)).toMatch(/admins only/);
    expect((await user(pending.id)).status).toBe("PENDING");
  });

  it("answers an unknown command with a hint to /help", async () => {
    expect(replyText(await handle(message(trader, "/frobnicate")))).toMatch(/\/help/);
  });
});

describe("error boundary", () => {
  // The production middlewares around a handler that fails in a chosen way.
  function boundaryBot(fail: (ctx: BotContext) => Promise<void>): Bot<BotContext> {
    const i18n = createI18n(app.config.DEFAULT_LOCALE);
    const deps: BotDeps = {
      config: app.config,
      logger: app.logger,
      i18n,
      registry: app.registry,
      services: app.services,
      market: app.market,
      notifier: new Notifier(app.services, i18n, app.config.DEFAULT_LOCALE),
      secretInbox: new SecretInbox(),
    };
    const bot = new Bot<BotContext>("123456:TESTTOKENabc", { botInfo: TEST_BOT_INFO });
    bot.api.config.use(recordingTransformer(calls));
    bot.use(updateContext(deps), loadUser(), i18n, errorBoundary());
    bot.on(["message", "callback_query"], fail);
    return bot;
  }

  async function handleWith(bot: Bot<BotContext>, update: Update): Promise<Call[]> {
    const before = calls.length;
    await bot.handleUpdate(update);
    return calls.slice(before);
  }

  const en: From = { id: 5301, first_name: "Eli", language_code: "en" };
  const ru: From = { id: 5302, first_name: "Юля", language_code: "ru" };

  it("explains a domain error in the user's language, naming the thing", async () => {
    const bot = boundaryBot(async () => {
      throw new NotFoundError("portfolio", "Growth");
    });
    expect(replyText(await handleWith(bot, message(en, "x")))).toBe(
      "That portfolio (Growth) does not exist or is not yours.",
    );
    expect(replyText(await handleWith(bot, message(ru, "x")))).toContain("портфель");
  });

  it("translates the field of a validation error", async () => {
    const bot = boundaryBot(async () => {
      throw new ValidationError("quantity", "error-must-be-positive", { value: "-1" });
    });
    const enText = replyText(await handleWith(bot, message(en, "x")));
    const ruText = replyText(await handleWith(bot, message(ru, "x")));
    expect(enText).toBe("Quantity must be greater than zero (got -1).");
    expect(ruText).toMatch(/^Количество/);
    expect(enText).toContain("-1");
  });

  it("answers a failed button press with the explanation, so the button stops spinning", async () => {
    const bot = boundaryBot(async () => {
      throw new StateError("error-user-cap", { max: 20 });
    });
    const made = await handleWith(bot, press(en, "anything"));
    expect(made.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    expect(made[0]!.payload.text).toBe(
      "The user limit (20 active users) is reached. Deactivate someone first.",
    );
  });

  it("logs an unexpected error with a reference and shows only an apology with it", async () => {
    const bot = boundaryBot(async () => {
      throw new TypeError("secret internal detail");
    });
    const before = logLines.length;
    const update = message(en, "x");
    const text = replyText(await handleWith(bot, update));
    expect(text).toBe(
      `Sorry, something went wrong on my side. Nothing was changed. (ref u${update.update_id})`,
    );
    expect(text).not.toContain("secret");
    const logged = logLines.slice(before).join("");
    expect(logged).toContain("secret internal detail");
    expect(logged).toContain(`"update":${update.update_id}`);
  });

  it("marks the private chat inactive when Telegram says the bot was blocked, and says nothing", async () => {
    const bot = boundaryBot(async () => {
      throw new GrammyError(
        "Call to 'sendMessage' failed!",
        { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
        "sendMessage",
        {},
      );
    });
    const made = await handleWith(bot, message(en, "x"));
    expect(made.filter((c) => c.method === "sendMessage")).toHaveLength(0);
    const chat = await app.database.prisma.telegramChat.findFirstOrThrow({
      where: { chatId: String(en.id) },
    });
    expect(chat.isActive).toBe(false);
    // writing again means they unblocked the bot
    await handleWith(
      boundaryBot(async () => undefined),
      message(en, "hello again"),
    );
    expect(
      (
        await app.database.prisma.telegramChat.findFirstOrThrow({
          where: { chatId: String(en.id) },
        })
      ).isActive,
    ).toBe(true);
  });
});

describe("a failure before the user is loaded (the database unreachable)", () => {
  // found by the PostgreSQL fault drill (test/adversarial/crash): a dropped connection while the
  // sender was looked up failed the update before the error boundary, so the user got nothing
  // and a pressed button kept spinning
  it("still answers with the apology, in the sender's Telegram language; a press stops spinning", async () => {
    const users = app.services.users;
    const original = users.identify.bind(users);
    users.identify = async () => {
      throw new Error("terminating connection due to administrator command");
    };
    try {
      const en: From = { id: 5401, first_name: "Ned", language_code: "en" };
      const ru: From = { id: 5402, first_name: "Яна", language_code: "ru" };
      const update = message(en, "/help");
      expect(replyText(await handle(update))).toBe(
        `Sorry, something went wrong on my side. Nothing was changed. (ref u${update.update_id})`,
      );
      expect(replyText(await handle(message(ru, "/help")))).toMatch(/^Простите/);
      const made = await handle(press(en, "anything"));
      expect(made.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
      expect(String(made[0]!.payload.text)).toMatch(/^Sorry, something went wrong/);
    } finally {
      users.identify = original;
    }
  });
});

describe("every domain error key reads well in every language", () => {
  const samples = [
    new NotFoundError("order", 17),
    new ValidationError("price", "error-must-be-positive", { value: "0" }),
    new ConflictError("name", "error-conflict", { value: "Main" }),
    new StateError("error-user-cap", { max: 3 }),
  ];
  for (const locale of ["en", "ru"]) {
    it(`${locale}: no raw keys, no unfilled placeables`, () => {
      const t = translatorFor(createI18n("en"), locale);
      for (const error of samples) {
        const text = describeDomainError(t, error);
        expect(text).not.toMatch(/error-|field-|entity-|\{\s*\$/);
        expect(text.length).toBeGreaterThan(5);
      }
    });
  }
});
