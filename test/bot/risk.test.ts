// Risk in the bot, on SQLite and PostgreSQL: /risk with usage and breaches, the policy buttons,
// /policy, the /newpolicy conversation (bad values explained with the field named), editing,
// /userpolicy for admins, the order card's risk block (describeRiskOutcome) and the breach
// notifications rendered in the recipient's language. grammY runs the production handlers,
// middlewares, i18n and conversations on real updates; only the Telegram Bot API is replaced by
// a transformer that records each call and answers as Telegram would.
import fs from "node:fs";
import path from "node:path";
import { conversations, createConversation } from "@grammyjs/conversations";
import { Bot, Composer } from "grammy";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandRegistry } from "../../src/bot/commands/registry.ts";
import type { BotContext, ConvContext } from "../../src/bot/context.ts";
import { NEW_POLICY, policyConversation } from "../../src/bot/features/risk/risk-policy.ts";
import { ACTION_UI, RULE_UI } from "../../src/bot/features/risk/risk-text.ts";
import type { BotDeps } from "../../src/bot/deps.ts";
import {
  BotRiskNotifier,
  describeRiskOutcome,
  renderRiskNotice,
} from "../../src/bot/features/risk/risk.ts";
import { policyDecision, ruleAnswer } from "../../src/bot/features/risk/callback-data.ts";
import { riskFeature } from "../../src/bot/features/risk/risk-buttons.ts";
import { registerRisk } from "../../src/bot/features/risk/risk-commands.ts";
import { toHtml } from "../../src/bot/format/html.ts";
import { LOCALES_DIR, createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { commandGuard } from "../../src/bot/middlewares/access.ts";
import { errorBoundary } from "../../src/bot/middlewares/error-boundary.ts";
import { loadUser } from "../../src/bot/middlewares/load-user.ts";
import { updateContext } from "../../src/bot/middlewares/update-context.ts";
import { Notifier } from "../../src/bot/notifier.ts";
import { SecretInbox } from "../../src/bot/secret-inbox.ts";
import { SUPPORTED_LOCALES, loadConfig } from "../../src/config.ts";
import { RiskBlockedError } from "../../src/domain/errors.ts";
import type { OrderRequest } from "../../src/domain/orders/order-types.ts";
import { BREACH_KEYS } from "../../src/domain/risk/risk-findings.ts";
import type { RiskNotice } from "../../src/domain/risk/risk-notifier.ts";
import { RISK_RULES } from "../../src/domain/risk/rules.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";
import {
  type Call,
  TEST_BOT_INFO,
  UpdateDriver,
  callButtons,
  callTexts,
  callbackAnswers,
} from "../support/in-process-bot.ts";
import { type RiskWorld, createRiskWorld, fill, riskTrader } from "../domain/risk/risk-world.ts";

const d = (v: string) => new Decimal(v);
const i18n = createI18n("en");
const en = translatorFor(i18n, "en");
const ru = translatorFor(i18n, "ru");

/** Message keys declared in a locale's .ftl files. */
function declared(locale: string): Set<string> {
  const dir = path.join(LOCALES_DIR, locale);
  const text = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ftl"))
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
    .join("\n");
  return new Set([...text.matchAll(/^([a-zA-Z][a-zA-Z0-9_-]*)\s*=/gm)].map((m) => m[1]!));
}

describe("risk words", () => {
  it("has every rule, action and breach message in every language", () => {
    // keys built from tables (not literal t("...") calls the translation test collects)
    const keys = [
      ...Object.values(RULE_UI).flatMap((u) => [u.labelKey, u.descriptionKey]),
      ...Object.values(ACTION_UI).map((u) => u.labelKey),
      ...Object.values(BREACH_KEYS),
      ...RISK_RULES.map((r) => `field-${r}`),
      "field-config",
      "field-scope",
      "entity-policy",
    ];
    for (const locale of SUPPORTED_LOCALES) {
      const have = declared(locale);
      expect(
        keys.filter((k) => !have.has(k)),
        locale,
      ).toEqual([]);
    }
  });
});

describe("the policy conversation's step buttons", () => {
  it("read the data they always carried, and nothing else", () => {
    expect(ruleAnswer.unpack("rp:v:0.5")).toEqual({ limit: "0.5" });
    expect(ruleAnswer.unpack("rp:skip")).toEqual({ step: "skip" });
    expect(ruleAnswer.unpack("rp:rm")).toEqual({ step: "rm" });
    expect(ruleAnswer.unpack("rp:done")).toEqual({ step: "done" });
    // a preset is digits and a point, as before; anything else is a stale press, re-asked
    for (const data of ["rp:v:abc", "rp:v:-1", "rp:v:1e3", "rp:v:", "rp:skip:1", "rp:save"])
      expect(ruleAnswer.unpack(data), data).toBeNull();
    expect(policyDecision.unpack("rp:save")).toEqual({ step: "save" });
    expect(policyDecision.unpack("rp:drop")).toEqual({ step: "drop" });
    expect(policyDecision.unpack("rp:done")).toBeNull();
  });
});

describe.each(PROVIDERS)("risk in the bot on %s", (provider) => {
  let tdb: TestDatabase;
  let world: RiskWorld;
  let bot: Bot<BotContext>;
  const calls: Call[] = [];
  let messageId = 100;
  let driver: UpdateDriver;

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createRiskWorld(tdb.db);
    const config = loadConfig({
      BOT_TOKEN: "123456:TESTTOKEN_abcdefghij",
      ADMIN_TELEGRAM_IDS: "1",
      DATABASE_URL: tdb.url,
    });
    const notifier = new Notifier(world.services, i18n, "en");
    // breaches now reach the outbox through the bot's renderer
    world.risk.useNotifier(new BotRiskNotifier(notifier));
    const deps: BotDeps = {
      config,
      logger: pino({ level: "silent" }),
      i18n,
      registry: new CommandRegistry(),
      services: world.services,
      market: world.market,
      notifier,
      secretInbox: new SecretInbox(),
    };
    const risk = { risk: world.risk, policies: world.policies };
    // Telegram at the HTTP boundary: conversations build their own Api from the bot's client
    // options, so their calls come here too — once each, as replays are answered from their log
    const telegram = async (input: string | URL | Request, init?: RequestInit) => {
      const method =
        String(input instanceof Request ? input.url : input)
          .split("/")
          .pop() ?? "";
      const payload = JSON.parse(typeof init?.body === "string" ? init.body : "{}") as Record<
        string,
        unknown
      >;
      calls.push({ method, payload });
      const chat = { id: Number(payload.chat_id ?? 0), type: "private" };
      const message = { message_id: ++messageId, date: 0, chat, text: "" };
      const result = /^(send|edit)/.test(method) ? message : true;
      return new Response(JSON.stringify({ ok: true, result }), {
        headers: { "content-type": "application/json" },
      });
    };
    bot = new Bot<BotContext>(config.BOT_TOKEN, {
      botInfo: TEST_BOT_INFO,
      client: { apiRoot: "http://127.0.0.1:9", fetch: telegram as typeof fetch },
    });
    driver = new UpdateDriver(bot, () => calls);
    bot.use(updateContext(deps));
    bot.use(loadUser());
    bot.use(deps.i18n);
    bot.use(errorBoundary());
    bot.use(
      conversations<BotContext, ConvContext>({
        plugins: [
          async (ctx, next) => {
            ctx.deps = deps;
            ctx.user = ctx.from
              ? await world.services.users.findByTelegramId(String(ctx.from.id))
              : null;
            ctx.actor = ctx.user ? world.services.users.actorOf(ctx.user) : null;
            await next();
          },
          deps.i18n,
        ],
      }),
    );
    bot.use(createConversation(policyConversation(world.policies), NEW_POLICY));
    registerRisk(deps.registry, risk);
    const commands = new Composer<BotContext>();
    deps.registry.install(commands, commandGuard);
    bot.use(commands);
    bot.use(riskFeature(risk));
  });
  afterAll(() => tdb.drop());

  const send = (userId: number, text: string) => driver.send(userId, text);
  const press = (userId: number, data: string) => driver.press(userId, data);
  const texts = callTexts;
  const all = (cs: Call[]) => texts(cs).join("\n");
  const buttonsOf = callButtons;
  const alerts = callbackAnswers;

  async function person(name = "Trader") {
    world.clock.set("2026-03-10T12:00:00Z");
    world.tape.set("ETHUSDT", "2000");
    const t = await riskTrader(world, { name });
    return { ...t, telegramId: Number(t.telegramUserId) };
  }

  const limitBuy = (portfolioId: number): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY",
    type: "LIMIT",
    quantity: d("1"),
    price: d("1990"),
  });

  it("/risk shows the policies with their usage and the latest breaches", async () => {
    const { actor, portfolio, telegramId } = await person();
    await fill(world, portfolio.id, "ETHUSDT", "BUY", "1", "2000", "2026-03-10T09:00:00Z");
    world.tape.set("ETHUSDT", "1900");
    const daily = await world.policies.create(actor, {
      scope: "USER",
      name: "Daily",
      config: {
        dailyLossLimitPct: { limit: "3", action: "block", closePositions: true },
        maxOrdersPerDay: { limit: 10, action: "warn" },
      },
    });
    const caps = await world.policies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "Caps",
      config: { maxExposurePerAssetPct: { limit: "10", action: "block" } },
    });
    await expect(world.trading.place(actor, limitBuy(portfolio.id))).rejects.toBeInstanceOf(
      RiskBlockedError,
    );
    const out = await send(telegramId, "/risk");
    const text = all(out);
    expect(text).toContain("🛡 Risk — Main (USDT)");
    // cash 8000 + 1 ETH at 1900; −100 on a day that started at 10,000
    expect(text).toContain(
      "Equity 9,900.00 USDT · cash 8,000.00 USDT · today −100.00 USDT (−1.00 %)",
    );
    expect(text).toContain("Daily #" + daily.id);
    expect(text).toContain("• Daily loss: 1.00 % of 3.00 % (33 %) · block · closes positions");
    expect(text).toContain("• Orders per day: 0 of 10 (0 %) · warn");
    // ETH 1900 of 9900 = 19.19 % against a 10 % cap
    expect(text).toContain(
      "• Exposure per asset (% of equity): 19.19 % of 10.00 % (192 %) · block",
    );
    expect(text).toContain("Latest breaches");
    expect(text).toMatch(
      /Exposure per asset \(% of equity\) · ETHUSDT: 38\.\d\d % \(limit 10\.00 %\) · blocked · Caps/,
    );
    expect(buttonsOf(out)).toEqual(
      expect.arrayContaining([
        `rsk:ed:u:${daily.id}:${portfolio.id}`,
        `rsk:pa:u:${caps.id}:${portfolio.id}`,
        `rsk:dl:u:${caps.id}:${portfolio.id}`,
        `rsk:new:u:${portfolio.id}`,
      ]),
    );
  });

  it("pauses, resumes and deletes with the buttons, and refuses another user's policy", async () => {
    const alice = await person("Alice");
    const bob = await person("Bob");
    const p = await world.policies.create(alice.actor, {
      scope: "USER",
      name: "Mine",
      config: { maxLeverage: { limit: "2", action: "block" } },
    });
    const tail = `${p.id}:${alice.portfolio.id}`;
    expect(alerts(await press(alice.telegramId, `rsk:pa:u:${tail}`))).toEqual(["Paused."]);
    expect((await world.policies.get(alice.actor, p.id)).isActive).toBe(false);
    const resumed = await press(alice.telegramId, `rsk:re:u:${tail}`);
    expect(alerts(resumed)).toEqual(["Active again."]);
    expect(resumed.some((c) => c.method === "editMessageText")).toBe(true);

    const stolen = await press(bob.telegramId, `rsk:dy:u:${tail}`);
    expect(alerts(stolen)[0]).toMatch(/does not exist or is not yours/);
    expect((await world.policies.get(alice.actor, p.id)).isActive).toBe(true);

    const ask = await press(alice.telegramId, `rsk:dl:u:${tail}`);
    expect(all(ask)).toContain(`Delete policy “Mine” (#${p.id})?`);
    expect(buttonsOf(ask)).toEqual([`rsk:dy:u:${tail}`, `rsk:bk:u:${tail}`]);
    expect(alerts(await press(alice.telegramId, `rsk:dy:u:${tail}`))).toEqual(["Deleted."]);
    expect(await world.policies.list(alice.actor)).toEqual([]);
  });

  it("/policy pauses, resumes and deletes by id, and explains how to use it", async () => {
    const { actor, telegramId } = await person();
    const p = await world.policies.create(actor, {
      scope: "USER",
      name: "Pace",
      config: { maxOrdersPerDay: { limit: 5, action: "warn" } },
    });
    expect(all(await send(telegramId, `/policy pause ${p.id}`))).toBe(
      `Policy “Pace” (#${p.id}) paused.`,
    );
    expect(all(await send(telegramId, `/policy resume #${p.id}`))).toBe(
      `Policy “Pace” (#${p.id}) is active again.`,
    );
    expect(all(await send(telegramId, "/policy explode 3"))).toMatch(/^Use \/policy delete ID/);
    expect(all(await send(telegramId, "/policy delete 999999"))).toMatch(
      /risk policy \(999999\) does not exist or is not yours/,
    );
    expect(all(await send(telegramId, `/policy delete ${p.id}`))).toBe(
      `Policy “Pace” (#${p.id}) deleted.`,
    );
  });

  it("/newpolicy: scope, name, rules one at a time, a bad value explained, then saved", async () => {
    const { actor, portfolio, telegramId } = await person();
    const start = await send(telegramId, "/newpolicy");
    expect(all(start)).toContain("Where should the policy apply?");
    expect(buttonsOf(start)).toEqual(["rp:sc:U:0", `rp:sc:P:${portfolio.id}`]);

    const named = await press(telegramId, `rp:sc:P:${portfolio.id}`);
    expect(all(named)).toContain("Name the policy, or keep “Limits for portfolio Main”.");
    const first = await press(telegramId, "rp:nm");
    expect(all(first)).toContain("Risk per trade");
    expect(buttonsOf(first)).toEqual([
      "rp:v:0.5",
      "rp:v:1",
      "rp:v:2",
      "rp:v:5",
      "rp:skip",
      "rp:done",
    ]);

    // an impossible value: the field and the range are named, and the question stays
    expect(all(await send(telegramId, "150"))).toBe(
      "Risk per trade must be above 0 % and at most 100 % (got 150).",
    );
    const action = await send(telegramId, "1,5");
    expect(all(action)).toContain(
      "Risk per trade: 1.50 %. What should happen to an order that breaks it?",
    );
    expect(buttonsOf(action)).toEqual(["rp:a:warn", "rp:a:reduce", "rp:a:block"]);
    await press(telegramId, "rp:a:reduce");
    await press(telegramId, "rp:skip"); // exposure %
    await press(telegramId, "rp:skip"); // exposure amount
    const loss = await press(telegramId, "rp:v:3");
    // the daily loss cannot be fixed by a smaller order: no "reduce"
    expect(buttonsOf(loss)).toEqual(["rp:a:warn", "rp:a:block"]);
    expect(all(await press(telegramId, "rp:a:block"))).toContain(
      "should I also close the positions",
    );
    await press(telegramId, "rp:cl:1");
    const summary = await press(telegramId, "rp:done");
    expect(all(summary)).toContain("Save this policy?");
    expect(all(summary)).toContain("• Risk per trade: max 1.50 % · reduce the size");
    expect(all(summary)).toContain("• Daily loss: max 3.00 % · block · closes positions");
    const saved = await press(telegramId, "rp:save");
    const [policy] = await world.policies.list(actor);
    expect(all(saved)).toContain(`Policy #${policy!.id} saved.`);
    expect(policy).toMatchObject({
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "Limits for portfolio Main",
    });
    const row = await tdb.db.prisma.riskPolicy.findUniqueOrThrow({ where: { id: policy!.id } });
    expect(row.config).toEqual({
      maxRiskPerTradePct: { limit: "1.5", action: "reduce" },
      dailyLossLimitPct: { limit: "3", action: "block", closePositions: true },
    });
  });

  it("/newpolicy for all portfolios names no single currency for a money limit", async () => {
    const { telegramId } = await person();
    await send(telegramId, "/newpolicy");
    await press(telegramId, "rp:sc:U:0");
    await press(telegramId, "rp:nm");
    await press(telegramId, "rp:skip"); // risk per trade
    await press(telegramId, "rp:skip"); // exposure %
    const amount = all(await send(telegramId, "1000"));
    // it is checked in each portfolio's own currency: not "1,000.00 USDT" here and USD elsewhere
    expect(amount).toContain(
      "Exposure per asset (amount): 1,000.00 in each portfolio's currency. What should happen",
    );
    expect(amount).not.toMatch(/1,000\.00 USDT?/);
    await send(telegramId, "/cancel");
  });

  it("edits a policy from /risk: keep, remove, done", async () => {
    const { actor, portfolio, telegramId } = await person();
    const p = await world.policies.create(actor, {
      scope: "USER",
      name: "Old",
      config: {
        maxRiskPerTradePct: { limit: "2", action: "block" },
        dailyLossLimitPct: { limit: "4", action: "warn" },
      },
    });
    const name = await press(telegramId, `rsk:ed:u:${p.id}:${portfolio.id}`);
    expect(all(name)).toContain("Name the policy, or keep “Old”.");
    await send(telegramId, "New name");
    const first = await press(telegramId, "rp:skip");
    // keeping the first rule... the question for it came with the name; now exposure %
    expect(all(first)).toContain("Exposure per asset (% of equity)");
    const back = await send(telegramId, "/cancel");
    expect(all(back)).toContain("Canceled. Nothing was changed.");
    expect((await world.policies.get(actor, p.id)).name).toBe("Old");

    await press(telegramId, `rsk:ed:u:${p.id}:${portfolio.id}`);
    const risk = await press(telegramId, "rp:nm");
    expect(all(risk)).toContain("Now: 2.00 %");
    expect(buttonsOf(risk)).toEqual(expect.arrayContaining(["rp:skip", "rp:rm", "rp:done"]));
    await press(telegramId, "rp:rm");
    const summary = await press(telegramId, "rp:done");
    expect(all(summary)).not.toContain("Risk per trade");
    expect(all(summary)).toContain("• Daily loss: max 4.00 % · warn");
    expect(all(await press(telegramId, "rp:save"))).toContain(`Policy #${p.id} updated.`);
    const after = await world.policies.get(actor, p.id);
    expect(Object.keys(after.config)).toEqual(["dailyLossLimitPct"]);
    const audit = await tdb.db.prisma.auditLog.findFirst({
      where: { entityType: "POLICY", entityId: p.id, action: "UPDATE" },
    });
    expect(audit?.actorId).toBe(actor.id);
  });

  it("/userpolicy lets an admin set a policy the user sees but cannot change", async () => {
    const admin = toActor(
      await world.services.users.registerFromTelegram({ telegramUserId: "1", firstName: "Admin" }),
    );
    const { actor, portfolio, telegramId } = await person("Yuki");
    expect(all(await send(telegramId, `/userpolicy ${telegramId}`))).toBe(
      "This is for admins only.",
    );
    const list = await send(1, `/userpolicy ${telegramId}`);
    expect(all(list)).toContain("Risk policies of");
    expect(all(list)).toContain("No risk policies yet.");
    await press(1, `rsk:new:a:${actor.id}`);
    await send(1, "House limits");
    await press(1, "rp:v:5");
    await press(1, "rp:a:block");
    await press(1, "rp:done");
    const saved = await press(1, "rp:save");
    const [policy] = await world.policies.list(actor);
    expect(all(saved)).toContain(`Policy #${policy!.id} saved.`);
    expect(policy).toMatchObject({ name: "House limits", scope: "USER", managedBy: admin.id });

    const seen = await send(telegramId, "/risk");
    expect(all(seen)).toContain("House limits #" + policy!.id);
    expect(all(seen)).toContain("set by an admin");
    expect(buttonsOf(seen)).toEqual([`rsk:new:u:${portfolio.id}`]);
    expect(all(await send(telegramId, `/policy delete ${policy!.id}`))).toBe(
      "An admin set this policy for you; only an admin can change it.",
    );
    expect(alerts(await press(telegramId, `rsk:pa:u:${policy!.id}:${portfolio.id}`))[0]).toBe(
      "An admin set this policy for you; only an admin can change it.",
    );
    // the admin pauses it from the user's list
    expect(alerts(await press(1, `rsk:pa:a:${policy!.id}:${actor.id}`))).toEqual(["Paused."]);
    expect((await world.policies.get(actor, policy!.id)).isActive).toBe(false);
    expect(all(await send(1, "/userpolicy @nobody_here"))).toMatch(/does not exist/);
  });

  it("explains a decision on the order card in the reader's language", async () => {
    const { actor, portfolio } = await person();
    await fill(world, portfolio.id, "ETHUSDT", "BUY", "1", "1800", "2026-03-10T09:00:00Z");
    const assess = async (a: Actor) => {
      const preview = await world.trading.preview(a, limitBuy(portfolio.id));
      return world.risk.assess(a, preview.order, { ...preview, now: world.clock.now() });
    };
    expect(describeRiskOutcome(en, await assess(actor), "en").text).toBe("");
    const p = await world.policies.create(actor, {
      scope: "USER",
      name: "Caps",
      config: { maxExposurePerAssetPct: { limit: "25", action: "block" } },
    });
    const blocked = await assess(actor);
    expect(describeRiskOutcome(en, blocked, "en").text).toBe(
      "⛔ Blocked by your risk limits.\n• Exposure per asset (% of equity): 39.02 % (limit 25.00 %) · block",
    );
    expect(describeRiskOutcome(ru, blocked, "ru").text).toBe(
      "⛔ Запрещено вашими лимитами риска.\n• Позиция в одном инструменте (% капитала): 39,02 % (лимит 25,00 %) · запретить",
    );
    await world.policies.update(actor, p.id, {
      config: { maxExposurePerAssetAbs: { limit: "3000", action: "reduce" } },
    });
    const reduced = describeRiskOutcome(en, await assess(actor), "en");
    expect(reduced.text).toBe(
      "✂️ Reduced from 1 to 0.5075 ETHUSDT to fit your risk limits.\n• Exposure per asset (amount): 3,980.00 USDT (limit 3,000.00 USDT) · reduce the size",
    );
    expect(reduced.entities?.[0]).toMatchObject({ type: "bold", offset: 0 });
    await world.policies.update(actor, p.id, {
      config: { maxExposurePerAssetAbs: { limit: "3000", action: "warn" } },
    });
    expect(describeRiskOutcome(en, await assess(actor), "en").text).toMatch(
      /^⚠️ This order breaks a risk limit\. Confirm to place it anyway\./,
    );
    await world.policies.update(actor, p.id, {
      config: { maxExposurePerAssetAbs: { limit: "10000", action: "warn" } },
    });
    expect(describeRiskOutcome(en, await assess(actor), "en").text).toBe(
      "✅ Within your risk limits.",
    );
  });

  it("queues breach notifications in the recipient's language, with the breach", async () => {
    const { actor, portfolio } = await person("Olga");
    await world.services.users.setLanguage(actor.id, "ru");
    await fill(world, portfolio.id, "ETHUSDT", "BUY", "1", "1800", "2026-03-10T09:00:00Z");
    await world.policies.create(actor, {
      scope: "USER",
      name: "Caps",
      config: { maxExposurePerAssetPct: { limit: "25", action: "block" } },
    });
    await expect(world.trading.place(actor, limitBuy(portfolio.id))).rejects.toBeInstanceOf(
      RiskBlockedError,
    );
    const [row] = await tdb.db.prisma.notificationOutbox.findMany({ where: { userId: actor.id } });
    expect(row).toMatchObject({
      type: "RISK_BREACH",
      severity: "ERROR",
      format: "html",
      title: "Ордер запрещён лимитом риска",
    });
    expect(row!.message).toContain("Портфель: Main");
    expect(row!.message).toContain("Ордер: КУПИТЬ 1 ETHUSDT");
    expect(row!.message).toContain(
      "<b>Позиция в одном инструменте (% капитала)</b>: 39,02 % (лимит 25,00 %)",
    );
  });

  it("renders what the watch did, closed and failed positions included", () => {
    const notice: RiskNotice = {
      userId: 1,
      recipient: { language: null, telegramLanguage: "en" },
      severity: "CRITICAL",
      dedupeKey: "k",
      source: "watch",
      action: "CLOSED_POSITION",
      portfolio: { id: 1, name: "Main", currency: "USDT" },
      order: null,
      breaches: [
        {
          rule: "dailyLossLimitPct",
          status: "BREACH",
          action: "block",
          limit: "3",
          observed: "3.5",
          numbers: {},
          policyId: 1,
          maxQuantity: null,
          reason: null,
        },
      ],
      closed: [
        {
          symbol: "ETHUSDT",
          side: "SELL",
          quantity: "1",
          orderId: 77,
          errorKey: null,
          errorParams: {},
        },
        {
          symbol: "PEPEUSDT",
          side: "SELL",
          quantity: "3",
          orderId: null,
          errorKey: "error-min-notional",
          errorParams: { field: "quantity", notional: "0.01", min: "5", symbol: "PEPEUSDT" },
        },
      ],
      at: new Date("2026-03-10T14:00:00Z"),
    };
    const { title, body } = renderRiskNotice(en, "en", notice);
    expect(title).toBe("Positions closed: daily loss limit");
    expect(body.text).toBe(
      [
        "Portfolio: Main",
        "• Daily loss: 3.50 % (limit 3.00 %)",
        "✅ SELL 1 ETHUSDT — order #77",
        "❌ SELL 3 PEPEUSDT — not closed: The order value 0.01 is below the minimum 5 for PEPEUSDT.",
        "Details: /risk",
      ].join("\n"),
    );
    expect(toHtml(body)).toContain("<b>Daily loss</b>");
    const warned = renderRiskNotice(ru, "ru", { ...notice, action: "WARNED", closed: [] });
    expect(warned.title).toBe("Нарушен лимит риска");
  });
});
