// PortfolioService against real SQLite and PostgreSQL databases: CRUD, defaults, the active
// portfolio, constraint errors as typed domain errors, and ownership.
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StateError,
  ValidationError,
} from "../../src/domain/errors.ts";
import { cashBalances } from "../../src/domain/cash/cash-ledger.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase } from "../support/db.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../support/fixtures.ts";
import { useTestWorld } from "../support/test-world.ts";

describe.each(PROVIDERS)("PortfolioService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
  });

  it("creates a paper account whose opening balance goes to its first portfolio, and portfolios with one default", async () => {
    const { portfolios } = world.services;
    const alice = await approvedUser(world, "Alice");
    const account = await portfolios.createAccount(alice, {
      brokerCode: "paper",
      name: "  Sandbox   one ",
      baseCurrency: "usdt",
      openingBalance: new Decimal("25000.50"),
    });
    expect(account).toMatchObject({
      name: "Sandbox one",
      brokerCode: "PAPER",
      isPaper: true,
      baseCurrency: "USDT",
    });
    // cash lives in portfolios: the opening balance waits for the account's first portfolio
    expect(await tdb.db.prisma.cashTransaction.count({ where: { accountId: account.id } })).toBe(0);

    const first = await portfolios.createPortfolio(alice, {
      accountId: account.id,
      name: "Crypto",
    });
    expect(first.isDefault).toBe(true);
    expect(first.isActive).toBe(true);
    expect((await cashBalances(tdb.db.prisma, first.id)).get("USDT")?.toFixed()).toBe("25000.5");
    const second = await portfolios.createPortfolio(alice, {
      accountId: account.id,
      name: "Swing",
    });
    expect(second.isDefault).toBe(false);
    // only the first receives it
    expect((await cashBalances(tdb.db.prisma, second.id)).size).toBe(0);
    expect((await cashBalances(tdb.db.prisma, first.id)).get("USDT")?.toFixed()).toBe("25000.5");

    await portfolios.setDefaultPortfolio(alice, second.id);
    const list = await portfolios.listPortfolios(alice);
    expect(list.filter((p) => p.isDefault).map((p) => p.name)).toEqual(["Swing"]);

    // the switcher overrides the default for following commands
    await portfolios.setActivePortfolio(alice, first.id);
    expect((await portfolios.resolvePortfolio(alice)).name).toBe("Crypto");
    expect((await portfolios.resolvePortfolio(alice, "swing")).name).toBe("Swing");

    // deleting the default moves it; deleting the active one falls back to the default
    await portfolios.deletePortfolio(alice, second.id);
    const after = await portfolios.listPortfolios(alice);
    expect(after.map((p) => [p.name, p.isDefault])).toEqual([["Crypto", true]]);
  });

  it("resolves the active portfolio from the user row the caller already read, unless it is another user's", async () => {
    const { portfolios } = world.services;
    const carl = await approvedUser(world, "Carl");
    const main = await paperPortfolio(world, carl, { name: "Main" });
    const side = await portfolios.createPortfolio(carl, {
      accountId: main.accountId,
      name: "Side",
    });
    // the row as read at the start of an update that chose Side: no second read of it
    expect(
      (await portfolios.resolvePortfolio(carl, null, { id: carl.id, activePortfolioId: side.id }))
        .name,
    ).toBe("Side");
    // none chosen: the default
    expect(
      (await portfolios.resolvePortfolio(carl, null, { id: carl.id, activePortfolioId: null }))
        .name,
    ).toBe("Main");
    // a chosen portfolio that was deleted since falls back to the default, as with a fresh read
    await portfolios.deletePortfolio(carl, side.id);
    expect(
      (await portfolios.resolvePortfolio(carl, null, { id: carl.id, activePortfolioId: side.id }))
        .name,
    ).toBe("Main");
    // a row of somebody else is not used: the actor's own choice is read
    const dora = await approvedUser(world, "Dora");
    const doras = await paperPortfolio(world, dora, { name: "Dora's" });
    const other = await portfolios.createPortfolio(carl, {
      accountId: main.accountId,
      name: "Other",
    });
    await portfolios.setActivePortfolio(carl, other.id);
    expect(
      (await portfolios.resolvePortfolio(carl, null, { id: dora.id, activePortfolioId: doras.id }))
        .name,
    ).toBe("Other");
    // and a named portfolio wins over the row
    expect(
      (
        await portfolios.resolvePortfolio(carl, "main", {
          id: carl.id,
          activePortfolioId: other.id,
        })
      ).name,
    ).toBe("Main");
  });

  it("turns constraint violations into typed errors naming the field, and writes nothing", async () => {
    const { portfolios } = world.services;
    const bob = await approvedUser(world, "Bob");
    const p = await paperPortfolio(world, bob, { name: "Main" });
    // names are unique per user, compared without regard to case
    await expect(
      portfolios.createPortfolio(bob, { accountId: p.accountId, name: "main " }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      portfolios.createPortfolio(bob, { accountId: p.accountId, name: "Main" }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      portfolios.createAccount(bob, { brokerCode: "PAPER", name: "Main account" }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      portfolios.createAccount(bob, { brokerCode: "NOPE", name: "x" }),
    ).rejects.toMatchObject({ field: "broker" });
    await expect(
      portfolios.createPortfolio(bob, { accountId: p.accountId, name: "   " }),
    ).rejects.toMatchObject({ field: "name" });
    await expect(
      portfolios.createAccount(bob, {
        brokerCode: "BINANCE",
        name: "Live",
        openingBalance: new Decimal(5),
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await portfolios.listPortfolios(bob)).map((x) => x.name)).toEqual(["Main"]);
  });

  it("keeps users apart: another user's portfolio looks like a missing one", async () => {
    const { portfolios } = world.services;
    const carol = await approvedUser(world, "Carol");
    const dave = await approvedUser(world, "Dave");
    const carols = await paperPortfolio(world, carol, { name: "Carol's" });
    await expect(portfolios.getPortfolio(dave, carols.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(portfolios.renamePortfolio(dave, carols.id, "Mine now")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(portfolios.deletePortfolio(dave, carols.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(portfolios.setActivePortfolio(dave, carols.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      portfolios.createPortfolio(dave, { accountId: carols.accountId, name: "Sneaky" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(portfolios.findPortfolioByName(dave, "Carol's")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await portfolios.listPortfolios(dave)).toEqual([]);
    expect((await portfolios.getPortfolio(carol, carols.id)).name).toBe("Carol's");
  });

  it("refuses pending and deactivated users", async () => {
    const { users, portfolios } = world.services;
    const pending = users.actorOf(await users.registerFromTelegram({ telegramUserId: "555001" }));
    await expect(portfolios.listPortfolios(pending)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      portfolios.listPortfolios({ ...(await approvedUser(world)), isActive: false }),
    ).rejects.toMatchObject({
      key: "error-access-revoked",
    });
  });

  it("refuses to delete a portfolio with open orders", async () => {
    const { portfolios, orders } = world.services;
    const erin = await approvedUser(world, "Erin");
    // no cash: a portfolio holding cash cannot be deleted either (test/domain/cash)
    const p = await paperPortfolio(world, erin, { cash: "0" });
    const order = await orders.place(erin, {
      portfolioId: p.id,
      symbol: "ETHUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: new Decimal("0.5"),
      price: new Decimal("2500"),
    });
    await expect(portfolios.deletePortfolio(erin, p.id)).rejects.toBeInstanceOf(StateError);
    await orders.cancel(erin, order.id);
    await portfolios.deletePortfolio(erin, p.id);
    expect(await portfolios.listPortfolios(erin)).toEqual([]);
  });

  it("reads several owners' portfolios at once exactly as getLivePortfolio reads each", async () => {
    const { portfolios } = world.services;
    const fay = await approvedUser(world, "Fay");
    const gus = await approvedUser(world, "Gus");
    const fays = await paperPortfolio(world, fay, { name: "Fay main" });
    const faysOther = await portfolios.createPortfolio(fay, {
      accountId: fays.accountId,
      name: "Fay other",
    });
    const gone = await portfolios.createPortfolio(fay, {
      accountId: fays.accountId,
      name: "Fay gone",
    });
    const gus1 = await paperPortfolio(world, gus, { name: "Gus main" });
    const gusActive = await portfolios.createPortfolio(gus, {
      accountId: gus1.accountId,
      name: "Gus active",
    });
    // Fay chose a portfolio since archived (her default counts as active), Gus one still live
    await portfolios.setActivePortfolio(fay, gone.id);
    await portfolios.setActivePortfolio(gus, gusActive.id);
    await tdb.db.prisma.portfolio.update({
      where: { id: gone.id },
      data: { archivedAt: new Date() },
    });
    const hal = await approvedUser(world, "Hal");
    const hals = await paperPortfolio(world, hal, { name: "Hal main" });
    const revoked = { ...hal, isActive: false };
    const pairs = [
      { actor: fay, portfolioId: fays.id },
      { actor: fay, portfolioId: faysOther.id },
      { actor: fay, portfolioId: gone.id },
      { actor: fay, portfolioId: gus1.id },
      { actor: gus, portfolioId: gus1.id },
      { actor: gus, portfolioId: gusActive.id },
      { actor: gus, portfolioId: 987_654 },
      { actor: revoked, portfolioId: hals.id },
    ];
    const together = await portfolios.getLivePortfolios(pairs);
    const outcome = (v: unknown) =>
      v instanceof Error ? { error: v.constructor.name, ...(v as object) } : v;
    for (const { actor, portfolioId } of pairs) {
      const alone = await portfolios.getLivePortfolio(actor, portfolioId).catch((e: unknown) => e);
      expect(outcome(together.get(`${actor.id}:${portfolioId}`))).toEqual(outcome(alone));
    }
    expect(together.get(`${gus.id}:${gusActive.id}`)).toMatchObject({ isActive: true });
    expect(together.get(`${fay.id}:${fays.id}`)).toMatchObject({ isActive: true });
    expect(together.get(`${fay.id}:${gone.id}`)).toBeInstanceOf(StateError);
    expect(together.get(`${fay.id}:${gus1.id}`)).toBeInstanceOf(NotFoundError);
    expect(together.get(`${revoked.id}:${hals.id}`)).toBeInstanceOf(ForbiddenError);
  });
});
