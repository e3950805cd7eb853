// Cash per portfolio on both databases, through the real services and the paper venue:
// - withdrawals take only free cash (issue 11 item 1: three open buy limits, a withdrawal that
//   left 0.49 USD, then a buy told "-600.10815 USD available"); no "available" figure is negative;
// - two portfolios on one account each see only their own cash in /balance, reports, the risk
//   snapshot and the pre-trade cash check (issue 11 item 2);
// - transfers between portfolios of one account: two ledger rows and an audit row, refused across
//   accounts, for the same portfolio, beyond free cash, and for another user's portfolio;
// - a portfolio holding cash cannot be deleted;
// - property: under random deposits, withdrawals, transfers and fills the per-portfolio chains are
//   exact, never negative, and sum to the account's cash.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cashBalance } from "../../../src/domain/cash/cash-ledger.ts";
import { NotFoundError, StateError, ValidationError } from "../../../src/domain/errors.ts";
import type { OrderRequest } from "../../../src/domain/orders/order-types.ts";
import type { PortfolioView } from "../../../src/domain/portfolios/portfolio-service.ts";
import { type Actor, SYSTEM } from "../../../src/domain/users/actor.ts";
import { Decimal, ZERO, fromDb, toDb } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { approvedUser } from "../../support/fixtures.ts";
import { type TradingWorld, createTradingWorld } from "../trading/trading-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("cash per portfolio on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createTradingWorld(tdb.db);
    world.market.price("KO", "71.40");
  });
  afterAll(() => tdb.drop());

  /** A paper account in USD with the given portfolios; the first receives the opening cash. */
  async function account(
    actor: Actor,
    cash: string,
    names: string[],
    label = "Broker",
  ): Promise<PortfolioView[]> {
    const { portfolios } = world.services;
    const acct = await portfolios.createAccount(actor, {
      brokerCode: "PAPER",
      name: `${label} ${actor.id}`,
      baseCurrency: "USD",
      openingBalance: d(cash),
    });
    const out: PortfolioView[] = [];
    for (const name of names)
      out.push(await portfolios.createPortfolio(actor, { accountId: acct.id, name }));
    return out;
  }

  const limitBuy = (portfolioId: number, qty: string, price: string): OrderRequest => ({
    portfolioId,
    symbol: "KO",
    side: "BUY",
    type: "LIMIT",
    quantity: d(qty),
    price: d(price),
  });

  const ledgerRows = () => tdb.db.prisma.cashTransaction.count();

  it("a withdrawal cannot take cash reserved by open buys, and no available figure goes negative", async () => {
    const actor = await approvedUser(world, "Item1");
    const [main] = await account(actor, "100000", ["Main"]);
    const { trading, cash } = world.services;
    // three resting buy limits below the market (71.40): 10 bps fee on each
    const first = await world.trading.place(actor, limitBuy(main!.id, "100", "60"));
    await world.trading.place(actor, limitBuy(main!.id, "50", "65"));
    await world.trading.place(actor, limitBuy(main!.id, "20", "70"));
    const free = await cash.freeCash(actor, main!.id);
    // (6000 + 3250 + 1400) × 1.001
    expect(free).toMatchObject({ reservingOrders: 3 });
    expect(free.reserved.toFixed()).toBe("10660.65");
    expect(free.available.toFixed()).toBe("89339.35");

    // the withdrawal that used to leave 0.49 USD under 10,660.65 USD of open buys
    const before = await ledgerRows();
    const err = await cash.withdraw(actor, main!.id, d("99999.51")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({
      key: "error-cash-not-free",
      params: {
        portfolio: "Main",
        currency: "USD",
        requested: "99999.51",
        free: "89339.35",
        balance: "100000",
        reserved: "10660.65",
        orders: 3,
      },
    });
    expect(await ledgerRows()).toBe(before);

    // all the free cash may go
    const entry = await cash.withdraw(actor, main!.id, d("89339.35"));
    expect(entry.balanceAfter.toFixed()).toBe("10660.65");
    expect((await cash.freeCash(actor, main!.id)).available.toFixed()).toBe("0");
    await expect(cash.withdraw(actor, main!.id, d("0.01"))).rejects.toMatchObject({
      key: "error-cash-not-free",
      params: { free: "0" },
    });

    // the buy that was told "-600.10815 USD available": now zero free, with the reserve explained
    const buy = await trading
      .preview(actor, limitBuy(main!.id, "1", "80"))
      .catch((e: unknown) => e);
    expect(buy).toMatchObject({
      key: "error-insufficient-free-cash",
      params: { available: "0", balance: "10660.65", reserved: "10660.65", orders: 3 },
    });
    for (const v of Object.values((buy as ValidationError).params))
      expect(String(v)).not.toMatch(/^-/);

    // a reserve that grows with the market (a trailing buy re-estimated at a higher quote) is
    // shown as zero free cash, never as a negative amount
    await world.trading.cancel(actor, first.order.id);
    const trailing = await world.trading.place(actor, {
      portfolioId: main!.id,
      symbol: "KO",
      side: "BUY",
      type: "TRAILING",
      quantity: d("80"),
      trailPercent: d("5"),
    });
    expect(trailing.order.status).toBe("NEW");
    world.market.price("KO", "90");
    const drifted = await cash.freeCash(actor, main!.id);
    expect(drifted.reserved.gt(drifted.balance)).toBe(true);
    expect(drifted.available.toFixed()).toBe("0");
    world.market.price("KO", "71.40");
  });

  it("two portfolios on one account each see only their own cash: balance, report, risk, pre-trade", async () => {
    const actor = await approvedUser(world, "Item2");
    const [main, swing] = await account(actor, "54665.88", ["Main", "Swing"]);
    const { cash, reports, risk, trading } = world.services;
    await cash.transfer(actor, {
      fromPortfolioId: main!.id,
      toPortfolioId: swing!.id,
      amount: d("10000"),
    });
    // Swing buys 100 KO at the market: 71.40 ask (the scripted market has no spread) + 10 bps
    const placed = await world.trading.place(actor, {
      portfolioId: swing!.id,
      symbol: "KO",
      side: "BUY",
      type: "MARKET",
      quantity: d("100"),
    });
    expect(placed.order.status).toBe("FILLED");
    const spent = placed.fills.reduce((s, f) => s.plus(f.quantity.mul(f.price)).plus(f.fee), ZERO);
    const swingCash = d("10000").minus(spent);

    // /balance: per portfolio, and the account total
    const [acct] = (await cash.balances(actor)).filter((a) => a.portfolios.length === 2);
    const line = (id: number) =>
      acct!.portfolios.find((p) => p.portfolio.id === id)!.lines.find((l) => l.currency === "USD")!;
    expect(line(main!.id).cash.toFixed()).toBe("44665.88");
    expect(line(main!.id).positions.toFixed()).toBe("0");
    expect(line(swing!.id).cash.toFixed()).toBe(swingCash.toFixed());
    expect(line(swing!.id).positions.toFixed()).toBe("7140");
    const total = acct!.totals.find((t) => t.currency === "USD")!;
    expect(total.cash.toFixed()).toBe(d("44665.88").plus(swingCash).toFixed());
    expect(total.total.toFixed()).toBe(d("44665.88").plus(swingCash).plus("7140").toFixed());

    // /report
    const mainReport = await reports.portfolioSummary(actor, main!.id);
    const swingReport = await reports.portfolioSummary(actor, swing!.id);
    expect(mainReport.cash.map((c) => [c.currency, c.amount.toFixed()])).toEqual([
      ["USD", "44665.88"],
    ]);
    expect(swingReport.cash.map((c) => [c.currency, c.amount.toFixed()])).toEqual([
      ["USD", swingCash.toFixed()],
    ]);

    // /risk: equity = this portfolio's cash + this portfolio's positions
    const owner = { userId: actor.id, timeZone: actor.timeZone };
    const now = world.clock.now();
    const mainRisk = await risk.snapshots.load(main!, owner, now);
    const swingRisk = await risk.snapshots.load(swing!, owner, now);
    expect(mainRisk.equity.toFixed()).toBe("44665.88");
    expect(swingRisk.cash.toFixed()).toBe(swingCash.toFixed());
    expect(swingRisk.equity.toFixed()).toBe(swingCash.plus("7140").toFixed());
    // the transfer moved both portfolios' equity today without being profit or loss
    expect(mainRisk.dayFlows.toFixed()).toBe("44665.88");
    expect(swingRisk.dayFlows.toFixed()).toBe("10000");

    // pre-trade: Swing cannot buy with Main's cash
    const big = await trading
      .preview(actor, { ...limitBuy(swing!.id, "100", "71.40"), type: "MARKET", price: null })
      .catch((e: unknown) => e);
    expect(big).toMatchObject({
      key: "error-insufficient-cash",
      params: { available: swingCash.toFixed() },
    });
    const ok = await trading.preview(actor, {
      ...limitBuy(main!.id, "100", "71.40"),
      type: "MARKET",
      price: null,
    });
    expect(ok.cash?.available.toFixed()).toBe("44665.88");
  });

  it("/balance: every currency a portfolio ever held at its latest balance; the account's funds from the same lines", async () => {
    const actor = await approvedUser(world, "Multi");
    const [main, side] = await account(actor, "5000", ["Main", "Side"], "Multi");
    const { cash } = world.services;
    // currencies interleaved across both portfolios, one taken back to zero (still listed)
    await cash.deposit(actor, side!.id, d("300"), "USDT");
    await cash.deposit(actor, main!.id, d("12.5"), "USDT");
    await cash.deposit(actor, side!.id, d("40"), "USD");
    await cash.withdraw(actor, main!.id, d("12.5"), "USDT");
    await cash.deposit(actor, side!.id, d("0.25"), "USDT");
    await cash.withdraw(actor, main!.id, d("1000"), "USD");
    // an open buy reserves cash: 10 KO at 60 + 10 bps
    await world.trading.place(actor, limitBuy(main!.id, "10", "60"));

    // what the ledger says, read row by row: each currency's last balance
    const expected = async (portfolioId: number) => {
      const rows = await tdb.db.prisma.cashTransaction.findMany({
        where: { portfolioId },
        orderBy: { id: "asc" },
      });
      const last = new Map<string, string>();
      for (const r of rows) last.set(r.currency, fromDb(r.balanceAfter).toFixed());
      return [...last].sort(([a], [b]) => a.localeCompare(b));
    };
    const [acct] = (await cash.balances(actor)).filter(
      (a) => a.account.name === `Multi ${actor.id}`,
    );
    const lines = (id: number) =>
      acct!.portfolios
        .find((p) => p.portfolio.id === id)!
        .lines.map((l) => [l.currency, l.cash.toFixed()]);
    expect(lines(main!.id)).toEqual(await expected(main!.id));
    expect(lines(main!.id)).toEqual([
      ["USD", "4000"],
      ["USDT", "0"],
    ]);
    expect(lines(side!.id)).toEqual(await expected(side!.id));
    expect(lines(side!.id)).toEqual([
      ["USD", "40"],
      ["USDT", "300.25"],
    ]);
    const usd = acct!.portfolios
      .find((p) => p.portfolio.id === main!.id)!
      .lines.find((l) => l.currency === "USD")!;
    expect(usd.reserved.toFixed()).toBe("600.6");
    expect(usd.free.toFixed()).toBe("3399.4");
    // the account's funds: what the funds source computes on its own for the same portfolios
    const portfolios = acct!.portfolios.map((p) => p.portfolio);
    expect(acct!.funds).toEqual(await cash.funds.accountFunds(acct!.account, portfolios));
    expect(acct!.funds!.cash.toFixed()).toBe("4040");
    expect(
      acct!.funds!.holdings.map((h) => [h.asset, h.free.toFixed(), h.locked.toFixed()]),
    ).toEqual([
      ["USD", "3439.4", "600.6"],
      ["USDT", "300.25", "0"],
    ]);
  });

  it("transfers between portfolios of one account, audited; refuses what it must", async () => {
    const actor = await approvedUser(world, "Mover");
    const [main, swing] = await account(actor, "1000", ["Main", "Swing"]);
    const [other] = await account(actor, "500", ["Elsewhere"], "Second");
    const { cash } = world.services;

    const before = await ledgerRows();
    const result = await cash.transfer(actor, {
      fromPortfolioId: main!.id,
      toPortfolioId: swing!.id,
      amount: d("250.5"),
      currency: "usd",
    });
    expect(result.from).toMatchObject({ type: "TRANSFER", currency: "USD", portfolioId: main!.id });
    expect(result.from.amount.toFixed()).toBe("-250.5");
    expect(result.from.balanceAfter.toFixed()).toBe("749.5");
    expect(result.to).toMatchObject({ type: "TRANSFER", portfolioId: swing!.id });
    expect(result.to.balanceAfter.toFixed()).toBe("250.5");
    expect(await ledgerRows()).toBe(before + 2);
    const audit = await tdb.db.prisma.auditLog.findFirstOrThrow({
      where: { entityType: "CASH", entityId: result.from.id },
    });
    expect(audit).toMatchObject({ actorId: actor.id, action: "CREATE" });
    expect(audit.details).toMatchObject({
      type: "TRANSFER",
      fromPortfolioId: main!.id,
      toPortfolioId: swing!.id,
      amount: "250.5",
      currency: "USD",
    });

    const refusals: Array<[() => Promise<unknown>, object]> = [
      [
        () =>
          cash.transfer(actor, {
            fromPortfolioId: main!.id,
            toPortfolioId: other!.id,
            amount: d("1"),
          }),
        { key: "error-transfer-other-account", params: { from: "Main", to: "Elsewhere" } },
      ],
      [
        () =>
          cash.transfer(actor, {
            fromPortfolioId: main!.id,
            toPortfolioId: main!.id,
            amount: d("1"),
          }),
        { key: "error-transfer-same-portfolio" },
      ],
      [
        () =>
          cash.transfer(actor, {
            fromPortfolioId: swing!.id,
            toPortfolioId: main!.id,
            amount: d("250.51"),
          }),
        { key: "error-cash-not-free", params: { free: "250.5", orders: 0 } },
      ],
      [
        () =>
          cash.transfer(actor, {
            fromPortfolioId: main!.id,
            toPortfolioId: swing!.id,
            amount: d("-5"),
          }),
        { key: "error-must-be-positive" },
      ],
    ];
    for (const [attempt, expected] of refusals)
      await expect(attempt()).rejects.toMatchObject(expected);

    // another user's portfolio looks like a missing one, on either side
    const stranger = await approvedUser(world, "Stranger");
    const [theirs] = await account(stranger, "100", ["Theirs"]);
    const rows = await ledgerRows();
    await expect(
      cash.transfer(actor, {
        fromPortfolioId: theirs!.id,
        toPortfolioId: main!.id,
        amount: d("1"),
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      cash.transfer(actor, {
        fromPortfolioId: main!.id,
        toPortfolioId: theirs!.id,
        amount: d("1"),
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(cash.deposit(actor, theirs!.id, d("1"))).rejects.toBeInstanceOf(NotFoundError);
    expect(await ledgerRows()).toBe(rows);
    expect((await cashBalance(tdb.db.prisma, theirs!.id, "USD")).toFixed()).toBe("100");
  });

  it("a portfolio holding cash cannot be deleted; once emptied it can", async () => {
    const actor = await approvedUser(world, "Deleter");
    const [main, swing] = await account(actor, "300", ["Main", "Swing"]);
    const { cash, portfolios } = world.services;
    await cash.transfer(actor, {
      fromPortfolioId: main!.id,
      toPortfolioId: swing!.id,
      amount: d("100"),
    });
    await expect(portfolios.deletePortfolio(actor, swing!.id)).rejects.toBeInstanceOf(StateError);
    await expect(portfolios.deletePortfolio(actor, swing!.id)).rejects.toMatchObject({
      key: "error-portfolio-has-cash",
      params: { name: "Swing", amount: "100", currency: "USD" },
    });
    await cash.transfer(actor, {
      fromPortfolioId: swing!.id,
      toPortfolioId: main!.id,
      amount: d("100"),
    });
    await portfolios.deletePortfolio(actor, swing!.id);
    expect((await cashBalance(tdb.db.prisma, main!.id, "USD")).toFixed()).toBe("300");
  });

  it("property: chains are exact, never negative, and sum to the account's cash", async () => {
    const actor = await approvedUser(world, "Prop");
    const names = ["P0", "P1", "P2"];
    const ps = await account(actor, "0", names, "Prop");
    const accountId = ps[0]!.accountId;
    const { cash, trades, instruments } = world.services;
    const ko = await instruments.resolve("KO");
    let tradeNo = 0;
    const amount = fc
      .tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 0, max: 4 }))
      .map(([units, scale]) => new Decimal(units).div(new Decimal(10).pow(scale)));
    const op = fc.oneof(
      fc.record({ kind: fc.constant("deposit"), p: fc.nat(2), amount }),
      fc.record({ kind: fc.constant("withdraw"), p: fc.nat(2), amount }),
      fc.record({ kind: fc.constant("transfer"), p: fc.nat(2), q: fc.nat(2), amount }),
      fc.record({
        kind: fc.constant("fill"),
        p: fc.nat(2),
        side: fc.constantFrom("BUY" as const, "SELL" as const),
        qty: fc.integer({ min: 1, max: 200 }),
        cents: fc.integer({ min: 5000, max: 9000 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        // the model: what each portfolio should hold
        const model = new Map<number, Decimal>();
        for (const p of ps) model.set(p.id, await cashBalance(tdb.db.prisma, p.id, "USD"));
        for (const o of ops) {
          const p = ps[o.p]!;
          const held = model.get(p.id)!;
          if (o.kind === "deposit") {
            await cash.deposit(actor, p.id, o.amount);
            model.set(p.id, held.plus(o.amount));
          } else if (o.kind === "withdraw") {
            const done = await cash.withdraw(actor, p.id, o.amount).then(
              () => true,
              (e: unknown) => {
                expect(e).toMatchObject({ key: "error-cash-not-free" });
                return false;
              },
            );
            expect(done).toBe(o.amount.lte(held));
            if (done) model.set(p.id, held.minus(o.amount));
          } else if (o.kind === "transfer") {
            const q = ps[o.q]!;
            const result = await cash
              .transfer(actor, { fromPortfolioId: p.id, toPortfolioId: q.id, amount: o.amount })
              .then(
                () => "done",
                (e: { key?: string }) => e.key,
              );
            if (p.id === q.id) expect(result).toBe("error-transfer-same-portfolio");
            else if (o.amount.gt(held)) expect(result).toBe("error-cash-not-free");
            else {
              expect(result).toBe("done");
              model.set(p.id, held.minus(o.amount));
              model.set(q.id, model.get(q.id)!.plus(o.amount));
            }
          } else {
            // a fill the venue would make: buys only within the portfolio's cash
            const price = new Decimal(o.cents).div(100);
            const quantity = new Decimal(o.qty);
            const fee = quantity.mul(price).mul("0.001");
            const cost = quantity.mul(price).plus(fee);
            if (o.side === "BUY" && cost.gt(held)) continue;
            await trades.ingestFill(SYSTEM, {
              portfolioId: p.id,
              instrumentId: ko.id,
              side: o.side,
              quantity,
              price,
              fee,
              execTime: world.clock.now(),
              brokerTradeId: `prop-${provider}-${++tradeNo}`,
            });
            const net = o.side === "BUY" ? cost.neg() : quantity.mul(price).minus(fee);
            model.set(p.id, held.plus(net));
          }
        }
        // every chain: each row's balance is the previous one plus its amount, never below zero
        const rows = await tdb.db.prisma.cashTransaction.findMany({
          where: { accountId },
          orderBy: { id: "asc" },
        });
        const running = new Map<number, Decimal>();
        let accountCash = ZERO;
        for (const r of rows) {
          expect(r.currency).toBe("USD");
          const after = fromDb(toDb((running.get(r.portfolioId) ?? ZERO).plus(fromDb(r.amount))));
          expect(fromDb(r.balanceAfter).toFixed()).toBe(after.toFixed());
          expect(after.isNeg()).toBe(false);
          running.set(r.portfolioId, after);
          accountCash = accountCash.plus(fromDb(r.amount));
        }
        let sum = ZERO;
        for (const p of ps) {
          const balance = await cashBalance(tdb.db.prisma, p.id, "USD");
          expect(balance.toFixed()).toBe(model.get(p.id)!.toFixed());
          sum = sum.plus(balance);
        }
        expect(sum.toFixed()).toBe(accountCash.toFixed());
        const [acct] = (await cash.balances(actor)).filter((a) => a.account.id === accountId);
        expect(acct!.totals.find((t) => t.currency === "USD")?.cash.toFixed() ?? "0").toBe(
          sum.toFixed(),
        );
      }),
      { numRuns: 15 },
    );
  });
});
