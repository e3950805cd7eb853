// Internal words must not reach people (issue 11, item 12): a risk rule is named by its label,
// never "maxExposurePerAssetPct"; Russian readers get "б.п." and a Russian name for the paper
// broker (test/e2e/trader-dead-ends.test.ts); a period's PnL is labelled as PnL, not as a "Total"
// that reads like a balance. Through the production bot (in-process) where it is a bot's answer.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { describeValues } from "../../src/bot/features/alerts/alert-text.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { loadConfig } from "../../src/config.ts";
import type { Observation } from "../../src/domain/alerts/alert-observer.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import {
  type Call,
  TEST_BOT_INFO,
  UpdateDriver,
  callTexts,
  recordingTransformer,
} from "../support/in-process-bot.ts";

const ADMIN = 700201;
const TRADER = 700202;
let db: TestDatabase;
let app: App;
let driver: UpdateDriver;
const calls: Call[] = [];
const i18n = createI18n("en");

beforeAll(async () => {
  db = await createTestDatabase("sqlite");
  const config = loadConfig({
    BOT_TOKEN: "123456:TESTTOKENabc",
    ADMIN_TELEGRAM_IDS: String(ADMIN),
    DATABASE_URL: db.url,
    LOG_LEVEL: "error",
    RATE_LIMIT_PER_WINDOW: "1000",
  });
  app = await createApp(config, {
    logger: pino({ level: "silent" }),
    botInfo: TEST_BOT_INFO,
    migrate: false,
  });
  app.bot.api.config.use(recordingTransformer(calls));
  driver = new UpdateDriver(app.bot, () => calls);
  const { users, portfolios, chats } = app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN), firstName: "Ada" }),
  );
  const row = await users.registerFromTelegram({
    telegramUserId: String(TRADER),
    firstName: "Boris",
    languageCode: "ru",
  });
  const actor = toActor(await users.approve(admin, row.id));
  await chats.registerPrivateChat(actor.id, String(TRADER));
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Boris paper",
    baseCurrency: "USD",
    openingBalance: new Decimal("10000"),
  });
  await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
});

afterAll(async () => {
  await app?.database.close();
  await db?.drop();
});

const ru = (text: string) => driver.send(TRADER, text, { language: "ru" });
const said = (made: Call[]) => callTexts(made).join("\n");

describe("words meant for people", () => {
  it("names a risk rule by its label in an alert's values, in each language", () => {
    const observation = {
      side: null,
      values: { rule: "maxExposurePerAssetPct", usedPct: "85" },
      extra: {},
      missing: null,
    } as unknown as Observation;
    const en = describeValues(translatorFor(i18n, "en"), "en", observation);
    expect(en).toContain("rule Exposure per asset (% of equity)");
    expect(en).not.toContain("maxExposurePerAssetPct");
    const inRussian = describeValues(translatorFor(i18n, "ru"), "ru", observation);
    expect(inRussian).toContain("правило Позиция в одном инструменте (% капитала)");
    expect(inRussian).not.toContain("maxExposurePerAssetPct");
  });

  it("shows the spread in «б.п.» to a Russian reader", async () => {
    const quote = said(await ru("/quote BTCUSDT"));
    expect(quote).toMatch(/Спред: .*\(\d+(,\d)? б\.п\.\)/);
    expect(quote).not.toMatch(/\bbp\b/);
  });

  it("labels a period's PnL as PnL, not as a total", () => {
    expect(translatorFor(i18n, "en")("pnl-total", { currency: "USDT" })).toBe("Net PnL USDT");
    expect(translatorFor(i18n, "ru")("pnl-total", { currency: "USDT" })).toBe("Чистый PnL USDT");
  });
});
