// Alerts and screeners in the bot, on SQLite and PostgreSQL: /alert (saved, refused with the
// field named, usage), /alerts with its pause/resume/delete buttons (and another user's presses
// refused), the /newalert and /newscreener conversations, /screen and /screeners, and fired
// alerts rendered into the outbox in the owner's language. grammY runs the production handlers,
// middlewares, i18n and conversations on real updates; only the Telegram Bot API is replaced by
// a transformer that records each call and answers as Telegram would.
import { conversations, createConversation } from "@grammyjs/conversations";
import { Bot, Composer } from "grammy";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { CommandRegistry } from "../../src/bot/commands/registry.ts";
import type { BotContext, ConvContext } from "../../src/bot/context.ts";
import { ALERT_NEW, newAlert } from "../../src/bot/features/alerts/alert-new.ts";
import { SCREENER_NEW, newScreener } from "../../src/bot/features/screeners/screener-new.ts";
import type { BotDeps } from "../../src/bot/deps.ts";
import {
  alertsFeature,
  createAlertNotifier,
  registerAlerts,
} from "../../src/bot/features/alerts/alerts.ts";
import { registerScreeners, screenersFeature } from "../../src/bot/features/screeners/screeners.ts";
import { createI18n } from "../../src/bot/i18n.ts";
import { commandGuard } from "../../src/bot/middlewares/access.ts";
import { errorBoundary } from "../../src/bot/middlewares/error-boundary.ts";
import { loadUser } from "../../src/bot/middlewares/load-user.ts";
import { updateContext } from "../../src/bot/middlewares/update-context.ts";
import { Notifier } from "../../src/bot/notifier.ts";
import { SecretInbox } from "../../src/bot/secret-inbox.ts";
import { loadConfig } from "../../src/config.ts";
import { AlertService } from "../../src/domain/alerts/alert-service.ts";
import { CandleCache } from "../../src/domain/indicators/candle-cache.ts";
import { ScreenerService } from "../../src/domain/screeners/screener-service.ts";
import type { Services } from "../../src/domain/services.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase } from "../support/db.ts";
import { type TestWorld, approvedUser } from "../support/fixtures.ts";
import {
  type Call,
  TEST_BOT_INFO,
  UpdateDriver,
  callButtons,
  callTexts,
  callbackAnswers,
  recordingTransformer,
} from "../support/in-process-bot.ts";
import { useTestWorld } from "../support/test-world.ts";

const i18n = createI18n("en");

describe.each(PROVIDERS)("alerts and screeners in the bot on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let services: Services & { alerts: AlertService; screeners: ScreenerService };
  let notifier: Notifier;
  let bot: Bot<BotContext>;
  const calls: Call[] = [];
  let driver: UpdateDriver;

  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    world.clock.set("2026-03-10T12:00:00Z");
    const market = new OfflineMarketData({ seed: "alerts-bot", clock: world.clock });
    const candles = new CandleCache(market, world.clock);
    const base = world.services;
    const extended = {
      ...base,
      alerts: new AlertService(base.ctx, {
        instruments: base.instruments,
        portfolios: base.portfolios,
        positions: base.positions,
        notifications: base.notifications,
        market,
        candles,
      }),
      screeners: new ScreenerService(base.ctx, { instruments: base.instruments, market, candles }),
    };
    services = extended;
    const config = loadConfig({
      BOT_TOKEN: "123456:TESTTOKEN_abcdefghij",
      ADMIN_TELEGRAM_IDS: "1",
      DATABASE_URL: tdb.url,
    });
    notifier = new Notifier(services, i18n, "en");
    const deps: BotDeps = {
      config,
      logger: pino({ level: "silent" }),
      i18n,
      registry: new CommandRegistry(),
      services,
      market,
      notifier,
      secretInbox: new SecretInbox(),
    } as BotDeps;
    bot = new Bot<BotContext>(config.BOT_TOKEN, { botInfo: TEST_BOT_INFO });
    driver = new UpdateDriver(bot, () => calls);
    const recorder = recordingTransformer(calls);
    bot.api.config.use(recorder);
    bot.use(updateContext(deps));
    bot.use(loadUser());
    bot.use(deps.i18n);
    bot.use(errorBoundary());
    bot.use(
      conversations<BotContext, ConvContext>({
        plugins: [
          async (ctx, next) => {
            ctx.api.config.use(recorder);
            ctx.deps = deps;
            ctx.user = ctx.from ? await services.users.findByTelegramId(String(ctx.from.id)) : null;
            ctx.actor = ctx.user ? services.users.actorOf(ctx.user) : null;
            await next();
          },
          deps.i18n,
        ],
      }),
    );
    bot.use(createConversation(newAlert, ALERT_NEW));
    bot.use(createConversation(newScreener, SCREENER_NEW));
    registerAlerts(deps.registry);
    registerScreeners(deps.registry);
    const commands = new Composer<BotContext>();
    deps.registry.install(commands, commandGuard);
    bot.use(commands);
    bot.use(alertsFeature());
    bot.use(screenersFeature());
  });

  const send = (userId: number, text: string, language = "en") =>
    driver.send(userId, text, { language });
  const press = (userId: number, data: string, language = "en") =>
    driver.press(userId, data, { language });
  const all = (cs: Call[]) => callTexts(cs).join("\n");
  const buttonsOf = callButtons;
  const answers = callbackAnswers;

  async function person(name: string) {
    const actor = await approvedUser(world, name);
    const user = await services.users.getById(actor.id);
    return { actor, tg: Number(user.telegramUserId) };
  }

  it("/alert saves an alert from one line and explains a bad one without saving it", async () => {
    const { actor, tg } = await person("Ann");
    const ok = await send(tg, "/alert ETHUSDT rsi14 1h below 30 once");
    expect(all(ok)).toMatch(/Alert #\d+ saved: ETHUSDT rsi14 1h below 30/);
    expect(all(ok)).toMatch(/Now: RSI\(14\) \d+(\.\d+)?/);
    expect(all(ok)).toContain("once");

    const bad = await send(tg, "/alert ETHUSDT rsi14 1h below 130");
    expect(all(bad)).toContain("Level: an RSI level must be between 0 and 100 (got 130)");
    const unknown = await send(tg, "/alert BTCUSD above 70000");
    expect(all(unknown)).toContain("I don't know the symbol “BTCUSD”");
    expect((await services.alerts.list(actor)).total).toBe(1);

    const usage = await send(tg, "/alert");
    expect(all(usage)).toContain("/alert BTCUSDT ema20 cross ema50 4h");
  });

  it("/alerts pages the list, and its buttons pause, resume and delete — only for the owner", async () => {
    const { actor, tg } = await person("Ben");
    const other = await person("Eve");
    for (let i = 0; i < 9; i++) await send(tg, `/alert BTCUSDT above ${200000 + i}`);
    const list = await send(tg, "/alerts");
    expect(all(list)).toContain("Your alerts (9)");
    expect(all(list)).toContain("Page 1 of 2");
    const first = (await services.alerts.list(actor)).items[0]!;
    expect(buttonsOf(list)).toEqual(
      expect.arrayContaining([`al:p:${first.id}:0`, `al:d:${first.id}:0`, "pg:alerts:2"]),
    );

    const stolen = await press(other.tg, `al:p:${first.id}:0`);
    expect(answers(stolen).join()).toContain("does not exist or is not yours");
    expect((await services.alerts.get(actor, first.id)).isActive).toBe(true);

    const paused = await press(tg, `al:p:${first.id}:0`);
    expect(answers(paused)).toContain(`Paused: ${first.name}`);
    expect(buttonsOf(paused)).toContain(`al:r:${first.id}:0`);
    expect((await services.alerts.get(actor, first.id)).isActive).toBe(false);
    await press(tg, `al:r:${first.id}:0`);
    expect((await services.alerts.get(actor, first.id)).isActive).toBe(true);

    const confirm = await press(tg, `al:d:${first.id}:0`);
    expect(all(confirm)).toContain("Delete this alert?");
    expect(buttonsOf(confirm)).toEqual([`al:x:${first.id}:0`, "al:pg:0"]);
    const deleted = await press(tg, `al:x:${first.id}:0`);
    expect(answers(deleted)).toContain(`Deleted: ${first.name}`);
    expect((await services.alerts.list(actor)).total).toBe(8);

    const page2 = await press(tg, "al:pg:8");
    expect(all(page2)).toContain("Your alerts (8)");
    expect(all(page2)).toContain("Page 1 of 1");
  });

  it("/newalert builds the same alert step by step and teaches the one-line command", async () => {
    const { actor, tg } = await person("Cid");
    expect(all(await send(tg, "/newalert"))).toContain("What should the alert watch?");
    expect(all(await press(tg, "na:k:rsi"))).toContain("Which symbol?");
    expect(all(await send(tg, "ethusdt"))).toContain("Which candle interval?");
    expect(all(await press(tg, "na:i:1h"))).toContain("Which direction?");
    expect(all(await press(tg, "na:d:below"))).toContain("At which RSI level?");
    expect(all(await send(tg, "abc"))).toContain("not a number I can use");
    expect(all(await send(tg, "30"))).toContain("Once, or repeating");
    const done = await press(tg, "na:o:4h");
    expect(all(done)).toMatch(/Alert #\d+ saved: ETHUSDT rsi14 1h below 30/);
    expect(all(done)).toContain("/alert ETHUSDT rsi14 1h below 30 every 4h");
    const [alert] = (await services.alerts.list(actor)).items;
    expect(alert?.config).toMatchObject({
      once: false,
      cooldownMs: 4 * 3_600_000,
      condition: { kind: "INDICATOR_LEVEL", level: 30 },
    });
  });

  it("/newalert takes only the answers a question offered: a forged kind or interval is asked again", async () => {
    const { tg } = await person("Dex");
    await send(tg, "/newalert");
    // no button carries these; before, an unknown kind made the conversation throw
    expect(all(await press(tg, "na:k:zzz"))).toContain(
      "Please choose with one of the buttons above",
    );
    expect(all(await press(tg, "na:i:1h"))).toContain(
      "Please choose with one of the buttons above",
    );
    expect(all(await press(tg, "na:k:price"))).toContain("Which symbol?");
    expect(all(await send(tg, "btcusdt"))).not.toContain("went wrong");
  });

  it("/newalert refuses a crossing of a line with itself at the step where it is typed", async () => {
    const { tg } = await person("Ema");
    await send(tg, "/newalert");
    await press(tg, "na:k:ma");
    expect(all(await send(tg, "btcusdt"))).toContain("Which candle interval?");
    await press(tg, "na:i:4h");
    await send(tg, "ema20");
    const same = all(await send(tg, "EMA20"));
    expect(same).toContain("The second line must differ from the first (ema20)");
    expect(all(await send(tg, "ema50"))).toContain("Which direction?");
  });

  it("/newalert checks each line of a crossing as it is typed, with the range or a suggestion", async () => {
    const { actor, tg } = await person("Eli");
    await send(tg, "/newalert");
    await press(tg, "na:k:ma");
    await send(tg, "btcusdt");
    await press(tg, "na:i:4h");
    // the first line: a period beyond its bound names the range, at this step
    const tooLong = all(await send(tg, "ema999"));
    expect(tooLong).toContain("Period of EMA: must be a whole number from 2 to 500 (got 999)");
    expect(all(await send(tg, "rsi14"))).toContain("“rsi14” is not a moving average");
    expect(all(await send(tg, "ema20"))).toContain("The slow line");
    // the same line written another way is the same line: refused here, with lines to try
    const same = all(await send(tg, "EMA(20)"));
    expect(same).toContain("The second line must differ from the first (ema20)");
    expect(same).toContain("Try ema50, sma100, sma200.");
    expect(same).not.toContain("Which direction?");
    // a pressed button equal to the first line is refused too, suggesting only other lines
    await send(tg, "/cancel");
    await send(tg, "/newalert");
    await press(tg, "na:k:ma");
    await send(tg, "btcusdt");
    await press(tg, "na:i:4h");
    await press(tg, "na:m:ema50");
    const pressed = all(await press(tg, "na:m:ema50"));
    expect(pressed).toContain("Try sma100, sma200.");
    expect(all(await press(tg, "na:m:sma200"))).toContain("Which direction?");
    expect((await services.alerts.list(actor)).total).toBe(0);
  });

  it("refuses an indicator period beyond its bound wherever indicators are typed", async () => {
    const { actor, tg } = await person("Gus");
    const oneLine = all(await send(tg, "/alert ETHUSDT rsi999 1h below 30"));
    expect(oneLine).toContain("Period of RSI: must be a whole number from 2 to 100 (got 999)");
    const ru = all(await send(tg, "/alert ETHUSDT rsi999 1h below 30", "ru"));
    expect(ru).toContain("Период RSI: целое число от 2 до 100 (получено 999)");
    expect((await services.alerts.list(actor)).total).toBe(0);
    await send(tg, "/newscreener");
    await press(tg, "ns:u:t:CRYPTO");
    await press(tg, "ns:i:1h");
    expect(all(await send(tg, "RSI(999) < 30"))).toContain(
      "Period of RSI: must be a whole number from 2 to 100 (got 999)",
    );
    expect(all(await send(tg, "bb500 > 1"))).toContain("from 2 to 200 (got 500)");
    expect(all(await send(tg, "rsi100 < 30"))).toContain("Conditions (1): RSI(100) < 30");
    await send(tg, "/cancel");
  });

  it("renders a fired alert in the owner's language into the outbox", async () => {
    const { actor, tg } = await person("Дарья");
    // any update refreshes the Telegram language the notifier follows
    await send(tg, "/alerts", "ru");
    world.clock.set("2026-03-10T12:30:00Z");
    const created = await services.alerts.createFromText(
      actor,
      "BTCUSDT is above 1000 once critical",
    );
    const summary = await services.alerts.evaluateAll(
      world.clock.now(),
      createAlertNotifier(notifier),
    );
    expect(summary.results.find((r) => r.alertId === created.alert.id)?.fired).toBe(true);
    const rows = await tdb.db.prisma.notificationOutbox.findMany({
      where: { dedupeKey: `alert:${created.alert.uid}:1` },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: "ALERT_TRIGGERED",
      severity: "CRITICAL",
      format: "html",
    });
    expect(rows[0]!.title).toBe("🔔 BTCUSDT is above 1000");
    expect(rows[0]!.message).toMatch(
      /^BTCUSDT стоит [\d\u202f\u00a0 ]+,\d{2} — на уровне 1\u00a0?000 или выше\./,
    );
    expect(rows[0]!.message).toContain("Разовый алерт: теперь он выключен.");
  });

  it("/newscreener, /screen and /screeners", async () => {
    const { actor, tg } = await person("Dan");
    world.clock.set("2026-03-10T15:00:00Z");
    expect(all(await send(tg, "/newscreener"))).toContain("Which instruments");
    expect(all(await press(tg, "ns:u:t:CRYPTO"))).toContain("Which candle interval");
    expect(all(await press(tg, "ns:i:1h"))).toContain("Add conditions one at a time");
    expect(all(await send(tg, "RSI(14) <"))).toContain("is not a comparison such as RSI(14) < 30");
    expect(all(await send(tg, "rsi14 < 101"))).toContain("Conditions (1): RSI(14) < 101");
    expect(all(await press(tg, "ns:c:2"))).toContain(
      "Conditions (2): RSI(14) < 101, EMA(20) > EMA(50)",
    );
    const sort = await press(tg, "ns:c:done");
    // a conversation replays its earlier calls on each update: the last message is this step's
    expect(buttonsOf(sort.slice(-1))).toEqual(["ns:s:0", "ns:s:1", "ns:s:2", "ns:s:3", "ns:s:4"]);
    expect(all(await press(tg, "ns:s:0"))).toContain("Highest first or lowest first?");
    expect(all(await press(tg, "ns:o:asc"))).toContain("How many rows at most?");
    expect(all(await send(tg, "5"))).toContain("a name for the screener");
    const saved = await send(tg, "Low RSI");
    expect(all(saved)).toContain("Screener “Low RSI” saved.");
    const [screener] = await services.screeners.list(actor);
    expect(screener?.config).toMatchObject({
      universe: { kind: "ASSET_TYPE", assetType: "CRYPTO" },
      interval: "1h",
      sort: { by: { kind: "RSI", period: 14 }, order: "asc" },
      limit: 5,
    });

    const run = await send(tg, "/screen low rsi");
    const text = all(run);
    expect(text).toContain("📊 Low RSI · 1h");
    expect(text).toMatch(/\d+ of 40 instruments match\./);
    expect(text).toMatch(/#\s+Symbol\s+Price\s+RSI14\s+EMA20\s+EMA50/);
    const pre = run.flatMap(
      (c) => (c.payload.entities as Array<{ type: string }> | undefined) ?? [],
    );
    expect(pre.some((e) => e.type === "pre")).toBe(true);
    const direct = await services.screeners.run(actor, screener!.id);
    const rsis = direct.rows.map((r) => r.values["RSI(14)"]!);
    expect(rsis).toEqual([...rsis].sort((a, b) => a - b));
    expect(direct.rows).toHaveLength(5);

    expect(all(await send(tg, "/screen Nope"))).toContain("You have no screener called “Nope”");
    const list = await send(tg, "/screeners");
    expect(buttonsOf(list)).toEqual([`sc:run:${screener!.id}`, `sc:del:${screener!.id}`]);
    const other = await person("Fay");
    expect(answers(await press(other.tg, `sc:dy:${screener!.id}`)).join()).toContain(
      "does not exist or is not yours",
    );
    await press(tg, `sc:del:${screener!.id}`);
    const gone = await press(tg, `sc:dy:${screener!.id}`);
    expect(answers(gone)).toContain("Deleted: Low RSI");
    expect(await services.screeners.list(actor)).toEqual([]);
  });
});
