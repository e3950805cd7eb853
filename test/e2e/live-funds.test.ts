// A live account's cash, equity and holdings come from the exchange (issue 10), end to end
// through the Telegram twin and the exchange twin, on SQLite and PostgreSQL. /positions on a live
// portfolio checks the fills against the exchange's balances: they agree after a buy, and when
// coins are deposited on the exchange's own site (the twin's setBalance) the difference is
// flagged; a paper portfolio has no such check. /report and /pnl give the exchange's cash and
// equity for the live portfolio, and the ledger's figures for the paper one, as before.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { formatMoney, formatNumber } from "../../src/bot/format/numbers.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, say, textOf } from "../support/e2e-trader.ts";
import { type LiveApp, addLiveAccount, startLiveApp } from "../support/live-app.ts";

const CHECK = /Fills vs exchange/;
const en = (d: Decimal) => formatNumber(d, "en", { maxDecimals: 18 });
const usdt = (d: Decimal) => formatMoney(d, "USDT", "en");
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.each(PROVIDERS)(
  "a live account's funds from the exchange, on %s",
  (provider: Provider) => {
    let live: LiveApp;
    let trader: Trader;
    let portfolioId: number;

    beforeAll(async () => {
      live = await startLiveApp({
        provider,
        // a scripted session types faster than a person: no flood limit in the way
        env: { RATE_LIMIT_PER_WINDOW: "1000", RATE_LIMIT_WINDOW_MS: "100" },
        prepare: (twin) => twin.addBalance("bob", "USDT", "10000"),
      });
      trader = await approvedTrader(live.h, { telegramId: 7701, firstName: "Bob" });
      ({ portfolioId } = await addLiveAccount(live, trader.actor, {
        venueAccount: "bob",
        name: "Binance",
        portfolio: "Spot",
      }));
      const bought = await live.h.app.services.trading.place(trader.actor, {
        portfolioId,
        symbol: "BTCUSDT",
        side: "BUY",
        type: "MARKET",
        quantity: new Decimal("0.01"),
      });
      expect(bought.order.status).toBe("FILLED");
      await vi.waitFor(
        async () =>
          expect(await live.h.app.database.prisma.trade.count({ where: { portfolioId } })).toBe(1),
        { timeout: 30_000, interval: 250 },
      );
    }, 120_000);

    afterAll(async () => {
      await live?.stop();
    });

    /** What the fills say the account holds of BTC (its one position). */
    async function btcFromFills(): Promise<Decimal> {
      const position = await live.h.app.database.prisma.position.findFirstOrThrow({
        where: { portfolioId },
      });
      return new Decimal(position.quantity.toString());
    }

    /** /positions of a portfolio; the exchange check, when one comes, follows the positions. */
    async function positionsOf(name: string) {
      const user = trader.user;
      const since = live.h.twin.mark();
      await say(live.h, user, `/positions ${name}`, (t) => /Positions/.test(t));
      // the bot answers one update of a chat at a time: once /help is answered, whatever
      // /positions had to say has been said
      await say(live.h, user, "/help", (t) => /\/positions/.test(t));
      return live.h.twin
        .messages(user.chatId)
        .filter((m) => m.revision > since)
        .map(textOf)
        .filter((t) => CHECK.test(t));
    }

    it("/positions on the live portfolio: the fills and the exchange agree after a buy", async () => {
      const held = new Decimal(live.exchange.balances("bob").BTC!.free);
      expect((await btcFromFills()).toFixed()).toBe(held.toFixed());
      const checks = await positionsOf("Spot");
      expect(checks).toHaveLength(1);
      const text = checks[0]!;
      expect(text).toContain("🔎 Fills vs exchange — Binance");
      expect(text).toContain("✅ TradeDesk's fills and Binance agree.");
      // asset, fills, exchange (free + locked), difference, mark
      expect(text).toMatch(new RegExp(`BTC +${escape(en(held))} +${escape(en(held))} +0 +✓`));
      expect(text).not.toContain("⚠️");
    }, 60_000);

    it("flags the difference when coins are deposited on the exchange's own site", async () => {
      const fills = await btcFromFills();
      const deposited = fills.plus("0.125");
      live.exchange.setBalance("bob", "BTC", deposited.toFixed());
      const [text, ...more] = await positionsOf("Spot");
      expect(more).toEqual([]);
      expect(text).toContain("⚠️ TradeDesk's fills and Binance differ on 1 asset.");
      expect(text).toContain(
        `⚠️ BTC: Binance holds ${en(deposited)} (free ${en(deposited)} · locked 0), the fills say ${en(fills)}, a difference of +0.125.`,
      );
      // taken back out: they agree again
      live.exchange.setBalance("bob", "BTC", fills.toFixed());
      const [again] = await positionsOf("Spot");
      expect(again).toContain("✅ TradeDesk's fills and Binance agree.");
    }, 60_000);

    it("says so when the exchange cannot be read, and checks again once it is back", async () => {
      await live.exchange.down("maintenance");
      try {
        const [text] = await positionsOf("Spot");
        expect(text).toContain("I could not read the balances from Binance just now");
        expect(text).not.toContain("agree");
      } finally {
        await live.exchange.up();
      }
      const [again] = await positionsOf("Spot");
      expect(again).toContain("✅ TradeDesk's fills and Binance agree.");
    }, 60_000);

    it("a paper portfolio's /positions has no exchange check", async () => {
      expect(await positionsOf("Main")).toEqual([]);
    }, 60_000);

    /** The exchange's cash (USDT) and equity (every asset at the twin's last price), now. */
    function exchangeFigures() {
      const balances = live.exchange.balances("bob");
      const total = (asset: string) =>
        new Decimal(balances[asset]!.free).plus(balances[asset]!.locked);
      const cash = total("USDT");
      const equity = cash.plus(total("BTC").mul(live.exchange.price("BTCUSDT").last));
      return { cash, equity };
    }

    it("/report on the live portfolio gives the exchange's cash and equity", async () => {
      live.exchange.setBalance("bob", "BTC", (await btcFromFills()).plus("0.5").toFixed());
      const { cash, equity } = exchangeFigures();
      // the ledger holds no cash for a live account: the figures can only be the exchange's
      expect(
        await live.h.app.database.prisma.cashTransaction.count({ where: { portfolioId } }),
      ).toBe(0);
      const report = textOf(
        await say(live.h, trader.user, "/report Spot", (t) => /Equity: /.test(t)),
      );
      expect(report).toContain("At Binance (the account's balances, as it reports them)");
      expect(report).toContain(`Cash: ${usdt(cash)}`);
      expect(report).toContain(`Equity: ${usdt(equity)}`);
      // the summary's value table counts the exchange's cash too
      const inTable = formatNumber(cash, "en", { minDecimals: 2, maxDecimals: 2 });
      expect(report).toMatch(new RegExp(`USDT +[\\d,.]+ +${escape(inTable)} +[\\d,.]+`));
    }, 60_000);

    it("a scheduled summary of the live portfolio carries the exchange's cash and equity", async () => {
      const { cash, equity } = exchangeFigures();
      await live.h.app.services.schedules.create(trader.actor, {
        name: "Live summary",
        target: { kind: "PORTFOLIO_SUMMARY", portfolioId, period: "today" },
        when: { preset: "evenings" },
      });
      const list = await say(live.h, trader.user, "/schedules", (t) => /Your schedules/.test(t));
      const since = live.h.twin.mark();
      trader.user.press(list, "🚀 Run #1");
      // the run goes through the outbox, as a scheduled firing does
      const delivered = await live.h.twin.waitForMessage(
        trader.user.chatId,
        (m) => /Equity: /.test(textOf(m)),
        { since, timeoutMs: 30_000 },
      );
      const text = textOf(delivered);
      expect(text).toContain(`Cash: ${usdt(cash)}`);
      expect(text).toContain(`Equity: ${usdt(equity)}`);
    }, 60_000);

    it("a strategy started on the live portfolio takes the exchange's cash as its capital", async () => {
      const { strategies, strategyInstances } = live.h.app.services;
      await strategies.save(trader.actor, "Trend", { kind: "ma-cross" });
      const instance = await strategyInstances.start(trader.actor, {
        strategyName: "Trend",
        portfolioId,
        symbols: ["BTCUSDT"],
        confirmLive: true,
      });
      const [run] = await strategyInstances.runs(trader.actor, instance.id);
      const usdtHeld = exchangeFigures().cash;
      const positions = (await btcFromFills()).mul(live.exchange.price("BTCUSDT").last);
      // the exchange's USDT (the ledger holds none for a live account) plus the position at market
      expect(run!.capitalStart.toFixed()).toBe(usdtHeld.plus(positions).toFixed());
      await strategyInstances.stop(trader.actor, instance.id);
    }, 60_000);

    it("/pnl on the live portfolio gives the exchange's figures; the paper one keeps its return", async () => {
      const { cash, equity } = exchangeFigures();
      const livePnl = textOf(
        await say(live.h, trader.user, "/pnl Spot week", (t) => /PnL — Spot/.test(t)),
      );
      expect(livePnl).toContain(`Cash: ${usdt(cash)}`);
      expect(livePnl).toContain(`Equity: ${usdt(equity)}`);
      expect(livePnl).not.toContain("Return (time-weighted)");
      const paperPnl = textOf(
        await say(live.h, trader.user, "/pnl Main week", (t) => /PnL — Main/.test(t)),
      );
      expect(paperPnl).not.toContain("Equity: ");
      expect(paperPnl).toContain("Return (time-weighted)");
    }, 60_000);

    it("/profit and /daily on the live portfolio: realized PnL only, a purchase is no profit", async () => {
      // the ledger holds no deposit for a live account: rebuilt from the fills, the bought
      // coins would read as a value change of their whole worth (it did: +the position's value)
      const profit = textOf(
        await say(live.h, trader.user, "/profit week Spot", (t) => /Profit — Spot/.test(t)),
      );
      expect(profit).toContain("Realized (after fees)");
      expect(profit).toContain("Unrealized (1 open position)");
      expect(profit).not.toContain("value change");
      expect(profit).not.toContain("Return (time-weighted)");
      expect(profit).not.toContain("Max drawdown");
      expect(profit).toContain("Deposits and withdrawals happen at Binance");
      const daily = await say(live.h, trader.user, "/daily 3 Spot", (t) => /Daily — Spot/.test(t));
      const text = textOf(daily);
      expect(text).toContain("Deposits and withdrawals happen at Binance");
      expect(text).toContain("Realized, USDT");
      // today's row: the buy's fee (the only realized figure, as /profit says) and no return
      const realized = /Realized \(after fees\): −([\d.,]+) USDT/.exec(profit)![1]!;
      expect(text).toMatch(new RegExp(`−${escape(realized)} +0 +—`));
      // the paper portfolio keeps its value change and return
      const paper = textOf(
        await say(live.h, trader.user, "/profit week Main", (t) => /Profit — Main/.test(t)),
      );
      expect(paper).not.toContain("Deposits and withdrawals happen at");
    }, 60_000);
  },
);
