// /help grouped by area, generated from the command registry: every command this person may use
// appears once under its group's heading, in the registry's group order; examples are real ones
// with arguments (no "Example: /alerts"); a long help is cut between groups and every message
// stays within Telegram's 4096 characters. English and Russian, through the production bot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { type App, createApp } from "../../src/app.ts";
import { COMMAND_GROUPS } from "../../src/bot/commands/registry.ts";
import { loadConfig } from "../../src/config.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import {
  type Call,
  TEST_BOT_INFO,
  UpdateDriver,
  callTexts,
  recordingTransformer,
} from "../support/in-process-bot.ts";

const ADMIN = 700101;
let db: TestDatabase;
let app: App;
let driver: UpdateDriver;
const calls: Call[] = [];

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
});

afterAll(async () => {
  await app?.database.close();
  await db?.drop();
});

const HEADINGS = {
  en: {
    trading: "Trading",
    portfolio: "Portfolio & money",
    reports: "Reports",
    alerts: "Alerts & screeners",
    schedules: "Schedules",
    settings: "Settings & notifications",
    admin: "Admin",
  },
  ru: {
    trading: "Торговля",
    portfolio: "Портфель и деньги",
    reports: "Отчёты",
    alerts: "Оповещения и скринеры",
    schedules: "Расписания",
    settings: "Настройки и уведомления",
    admin: "Администрирование",
  },
} as const;

describe("/help", () => {
  it("every command declares a group that /help knows", () => {
    for (const c of registryOf(app)) expect(COMMAND_GROUPS).toContain(c.group);
  });

  for (const language of ["en", "ru"] as const) {
    it(`groups the admin's commands by area with real examples (${language})`, async () => {
      const texts = callTexts(await driver.send(ADMIN, "/help", { language }));
      const all = texts.join("\n\n");
      for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
      // headings in the registry's order
      const positions = Object.values(HEADINGS[language]).map((h) => all.split("\n").indexOf(h));
      for (const p of positions) expect(p).toBeGreaterThanOrEqual(0);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      // the commands sit under their group
      const section = (h: string) => {
        const lines = all.split("\n");
        const start = lines.indexOf(h);
        const end = lines.findIndex((l, i) => i > start && l.trim() === "");
        return lines.slice(start, end < 0 ? undefined : end).join("\n");
      };
      expect(section(HEADINGS[language].trading)).toMatch(/^\/buy — /m);
      expect(section(HEADINGS[language].trading)).toMatch(/^\/orders — /m);
      expect(section(HEADINGS[language].alerts)).toMatch(/^\/newalert — /m);
      expect(section(HEADINGS[language].admin)).toMatch(/^\/users — /m);
      expect(section(HEADINGS[language].reports)).toMatch(/^\/profit — /m);
      // every command exactly once
      for (const c of registryOf(app))
        expect(all.match(new RegExp(`^/${c.name} — `, "gm"))?.length ?? 0).toBe(1);
      // real examples, never a bare command
      expect(all).toContain("/buy BTCUSDT 0.01 limit 60000");
      expect(all).not.toMatch(/(Example|Пример): \/\w+\s*$/m);
      expect(all).not.toContain("/start\n   ");
      // a message never begins in the middle of a group: each starts with a heading or the title
      const starts = new Set<string>([
        ...Object.values(HEADINGS[language]),
        language === "en" ? "Commands" : "Команды",
        language === "en" ? "Risk" : "Риск",
        language === "en" ? "Strategies" : "Стратегии",
      ]);
      for (const t of texts.slice(1)) expect(starts).toContain(t.split("\n")[0]);
    });
  }

  it("a visitor sees only the public commands, without examples for bare ones", async () => {
    const texts = callTexts(await driver.send(700102, "/help"));
    const all = texts.join("\n");
    expect(all).toMatch(/^\/start — /m);
    expect(all).toMatch(/^\/help — /m);
    expect(all).not.toMatch(/^\/buy — /m);
    expect(all).not.toMatch(/Example/);
  });
});

function registryOf(a: App) {
  return a.registry.all();
}
