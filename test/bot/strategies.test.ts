// Strategies in the bot, end to end through the Telegram twin (the real app: config, SQLite,
// grammY with long polling): /strategy creates and versions, /strategies lists current or all
// versions, bad input is explained and nothing is saved, and an order placed with
// "strategy NAME" carries the current version's id, so /positions strategy NAME shows only it.
// One app for the file; each test has its own approved user so they do not see each other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, ask, startHarness } from "../support/app-harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

let nextId = 7100;

/** An approved user with a paper portfolio, made through the services (onboarding is tested elsewhere). */
async function trader(language: "en" | "ru" = "en") {
  const { users, portfolios } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const id = nextId++;
  const registered = await users.registerFromTelegram({
    telegramUserId: String(id),
    firstName: `Trader${id}`,
    languageCode: language,
  });
  await users.submitApplication(registered.id, { language, timeZone: "Europe/Berlin" });
  const actor = toActor(await users.approve(admin, registered.id));
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Paper",
    baseCurrency: "USDT",
    openingBalance: new Decimal("100000"),
  });
  await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  const user = h.twin.user({ id, first_name: `Trader${id}`, language_code: language });
  return { actor, user };
}

async function strategyRows(userId: number) {
  return h.app.database.prisma.strategy.findMany({
    where: { userId },
    orderBy: [{ name: "asc" }, { version: "asc" }],
  });
}

describe("strategies in the bot", () => {
  it("creates a strategy, saves a new version without rewriting the old one, and shows both", async () => {
    const { actor, user } = await trader();

    const created = await ask(h, user, '/strategy MeanRev {"window": 20, "z": 2}', (t) =>
      /MeanRev/.test(t),
    );
    expect(text(created)).toContain("Strategy MeanRev created, version 1.");
    expect(text(created)).toContain('"window": 20');
    expect(text(created)).toContain("/buy BTCUSDT 0.01 strategy MeanRev");

    // a different case is the same strategy; typographic quotes from phone keyboards are accepted
    const second = await ask(h, user, "/strategy meanrev {“window”: 30, “z”: 2.5}", (t) =>
      /version 2/.test(t),
    );
    expect(text(second)).toContain("MeanRev saved as version 2.");
    expect(text(second)).toContain("of version 1 keep version 1");

    const rows = await strategyRows(actor.id);
    expect(rows.map((r) => [r.name, r.version, r.isActive, r.params])).toEqual([
      ["MeanRev", 1, false, { window: 20, z: 2 }],
      ["MeanRev", 2, true, { window: 30, z: 2.5 }],
    ]);

    const shown = await ask(h, user, "/strategy MeanRev", (t) => /versions/.test(t));
    expect(text(shown)).toContain("🧠 MeanRev · 2 versions");
    expect(text(shown)).toMatch(/v2 · active · created \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(text(shown)).toContain("v1 · created");
    expect(text(shown)).toContain("window=20, z=2");
    expect(text(shown)).toContain('"window": 30');
    expect(text(shown)).toContain('/strategy MeanRev {"window":30,"z":2.5}');
  });

  it("lists current versions, and every version with “all”, in the user's time zone", async () => {
    const { actor, user } = await trader();
    const empty = await ask(h, user, "/strategies", (t) => /Strategies/.test(t));
    expect(text(empty)).toContain("You have no strategies yet.");

    const { strategies } = h.app.services;
    await strategies.save(actor, "Breakout", { lookback: 55 });
    await strategies.save(actor, "Breakout", { lookback: 34 });
    const grid = await strategies.save(actor, "Grid", {});

    const list = await ask(h, user, "/strategies", (t) => /Strategies \(/.test(t));
    expect(text(list)).toContain("🧠 Strategies (2)");
    expect(text(list)).toContain("Breakout v2");
    expect(text(list)).toContain("lookback=34");
    expect(text(list)).not.toContain("lookback=55");
    expect(text(list)).toContain("Grid v1");
    expect(text(list)).toContain("no parameters");
    expect(text(list)).toContain("0 orders · 0 open positions");
    // created in the user's zone (Europe/Berlin), not UTC
    const berlin = new Intl.DateTimeFormat("sv-SE", {
      timeZone: "Europe/Berlin",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .format(grid.createdAt)
      .replace(",", "");
    expect(text(list)).toContain(`created ${berlin}`);

    const all = await ask(h, user, "/strategies all", (t) => /all versions/.test(t));
    expect(text(all)).toContain("all versions (3)");
    expect(text(all)).toContain("Breakout v2 · active");
    expect(text(all)).toContain("Breakout v1 · created");
    expect(text(all)).toContain("lookback=55");

    const wrong = await ask(h, user, "/strategies everything", (t) => /Usage/.test(t));
    expect(text(wrong)).toContain("/strategies all");
  });

  it("explains bad input and saves nothing", async () => {
    const { actor, user } = await trader();

    const badJson = await ask(h, user, '/strategy Swing {"window": 20,', (t) => /JSON/.test(t));
    expect(text(badJson)).toContain("not valid JSON");
    expect(text(badJson)).toContain('/strategy Swing {"window": 20, "z": 2}');

    const array = await ask(h, user, "/strategy Swing [1, 2]", (t) => /JSON object/.test(t));
    expect(text(array)).toContain("Strategy parameters must be a JSON object.");

    const scalar = await ask(h, user, "/strategy Swing {} x", (t) => /JSON/.test(t));
    expect(text(scalar)).toContain("not valid JSON");

    const noName = await ask(h, user, '/strategy {"a": 1}', (t) => /empty/.test(t));
    expect(text(noName)).toContain("Name must not be empty.");

    const long = await ask(h, user, `/strategy ${"x".repeat(41)} {"a": 1}`, (t) =>
      /too long/.test(t),
    );
    expect(text(long)).toContain("at most 40 characters");

    const unknown = await ask(h, user, "/strategy Nope", (t) => /Nope/.test(t));
    expect(text(unknown)).toContain("You have no strategy called “Nope”.");
    expect(text(unknown)).toContain("/strategies");
    expect(text(unknown)).toContain('/strategy Nope {"window": 20, "z": 2}');

    for (const empty of ["/strategy", '/strategy ""']) {
      const bare = await ask(h, user, empty, (t) => /JSON parameters/.test(t));
      expect(text(bare)).toContain("/strategy MeanRev");
    }

    expect(await strategyRows(actor.id)).toEqual([]);
  });

  it("answers in Russian", async () => {
    const { user } = await trader("ru");
    const created = await ask(h, user, '/strategy Тренд {"fast": 10}', (t) => /Тренд/.test(t));
    expect(text(created)).toContain("Стратегия Тренд создана, версия 1.");
    const again = await ask(h, user, '/strategy Тренд {"fast": 12}', (t) => /версия 2/.test(t));
    expect(text(again)).toContain("останутся за версией 1");
    const list = await ask(h, user, "/strategies", (t) => /Стратегии/.test(t));
    expect(text(list)).toContain("0 ордеров · 0 открытых позиций");
    const bad = await ask(h, user, "/strategy Тренд {oops}", (t) => /JSON/.test(t));
    expect(text(bad)).toContain("некорректный JSON");
  });

  it("an order placed with “strategy NAME” carries the current version, and positions filter by it", async () => {
    const { actor, user } = await trader();
    const { strategies } = h.app.services;
    await strategies.save(actor, "Momentum", { window: 10 });
    const current = await strategies.save(actor, "Momentum", { window: 12 });

    // one order for the strategy, one manual
    for (const [command, symbol] of [
      ["/buy BTCUSDT 0.01 strategy Momentum", "BTCUSDT"],
      ["/buy ETHUSDT 0.5", "ETHUSDT"],
    ] as const) {
      const card = await ask(
        h,
        user,
        command,
        (t) => /Confirm order/.test(t) && t.includes(symbol),
      );
      // the card names the strategy and its version, or none for a manual order
      if (command.includes("strategy"))
        expect(text(card)).toMatch(/\nStrategy: Momentum \(v\d+\)\n/);
      else expect(text(card)).not.toContain("Strategy:");
      const since = h.twin.mark();
      user.press(card, "✅ Confirm");
      await h.twin.waitForMessage(
        user.chatId,
        (m) => m.message_id === card.message_id && /Order #\d+/.test(text(m)),
        { since, timeoutMs: 10_000 },
      );
    }

    const orders = await h.app.database.prisma.order.findMany({
      where: { portfolio: { userId: actor.id } },
      include: { instrument: true },
      orderBy: { id: "asc" },
    });
    expect(orders.map((o) => [o.instrument.symbol, o.strategyId])).toEqual([
      ["BTCUSDT", current.id],
      ["ETHUSDT", null],
    ]);

    const positions = await ask(h, user, "/positions strategy Momentum", (t) =>
      /Positions/.test(t),
    );
    expect(text(positions)).toContain("strategy Momentum");
    expect(text(positions)).toContain("BTCUSDT");
    expect(text(positions)).toContain("Momentum v2");
    expect(text(positions)).not.toContain("ETHUSDT");
    // another portfolio active: the strategy's positions are still found where they are
    const main = await h.db.db.prisma.portfolio.findFirstOrThrow({ where: { userId: actor.id } });
    const other = await h.app.services.portfolios.createPortfolio(actor, {
      accountId: main.accountId,
      name: "Other",
    });
    await h.app.services.portfolios.setActivePortfolio(actor, other.id);
    const anywhere = await ask(h, user, "/positions strategy Momentum", (t) => /Positions/.test(t));
    expect(text(anywhere)).toMatch(/^📊 Positions — Main · strategy Momentum/);
    expect(text(anywhere)).toContain("BTCUSDT");
    const none = await ask(h, user, "/positions strategy Nope", (t) => /no strategy/.test(t));
    expect(text(none)).not.toContain("BTCUSDT");
    await h.app.services.portfolios.setActivePortfolio(actor, main.id);
    // /pnl names the strategy in its title as well
    const pnl = await ask(h, user, "/pnl today strategy Momentum", (t) => /PnL/.test(t));
    expect(text(pnl).split("\n")[0]).toMatch(/^📈 PnL — .+ — .+ · strategy Momentum$/);

    const list = await ask(h, user, "/strategies", (t) => /Strategies \(/.test(t));
    expect(text(list)).toContain("1 order · 1 open position");
    const shown = await ask(h, user, "/strategy Momentum", (t) => /versions/.test(t));
    expect(text(shown)).toMatch(/v2 · active · created [^\n]+\n1 order · 1 open position/);
    expect(text(shown)).toMatch(/v1 · created [^\n]+\n0 orders · 0 open positions/);
  });
});
