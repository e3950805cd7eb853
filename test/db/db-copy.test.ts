// The move from SQLite to PostgreSQL (npm run db:copy), end to end: a SQLite database with every
// table populated through the real services (orders in every status) is copied into a fresh
// PostgreSQL database that the copy migrates itself; the verification passes and agrees with a
// Prisma-level fingerprint of both; a changed decimal on the target fails it; a non-empty target is
// refused; the CLI's dry run writes nothing; and the bot started on the copy answers /positions,
// /pnl and /orders with the very text it gives on the SQLite original.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { BrokerGateway } from "../../src/brokers/types.ts";
import { Prisma, openDatabase } from "../../src/db/client.ts";
import { CopyRefusedError, copyDatabase, verifyCopy } from "../../src/db/copy/copy.ts";
import { OrderStatus } from "../../src/db/generated/sqlite/enums.ts";
import { PROJECT_ROOT } from "../../src/db/migrate.ts";
import { RiskBlockedError } from "../../src/domain/errors.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { createTradingWorld } from "../domain/trading/trading-world.ts";
import { ask, startHarness } from "../support/app-harness.ts";
import { type TestDatabase, createTestDatabase } from "../support/db.ts";
import { fingerprint } from "../support/db-snapshot.ts";
import { paperPortfolio } from "../support/fixtures.ts";
import { adminQuery, pgUrl } from "../support/postgres.ts";

const run = promisify(execFile);
const d = (v: string) => new Decimal(v);
const TRADER = 7301;
/** cash amounts at the finest step the cash service takes (8 places): every digit must survive */
const TINY = "0.00000001";
const EXACT = "2500.12345678";

/** A fresh, empty PostgreSQL database (no tables: db:copy migrates it). */
async function emptyPostgres(): Promise<TestDatabase> {
  const name = `td_t_${inject("runId")}_copy_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = pgUrl(name);
  const db = openDatabase(url, { poolSize: 3 });
  return {
    db,
    url,
    provider: "postgres",
    drop: async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** Every table, through the services where a service writes it. */
async function populate(source: TestDatabase): Promise<void> {
  const world = createTradingWorld(source.db);
  const { services, trading, market, orderSync } = world;
  const { users, chats, cash, portfolios } = services;
  market.volume("ETHUSDT", "1000");
  market.volume("BTCUSDT", "1000");

  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: "1", firstName: "Admin" }),
  );
  const registered = await users.registerFromTelegram({
    telegramUserId: String(TRADER),
    firstName: "Tess",
    username: "tess",
  });
  // approvedById points back at users: the copy defers that key
  const tess = toActor(await users.approve(admin, registered.id));
  await users.registerFromTelegram({ telegramUserId: "7302", firstName: "Pending" });
  await chats.registerPrivateChat(tess.id, TRADER);
  await chats.createLinkCode(tess);
  // a wrong /link code posted in a group: counted in chat_link_failures
  await expect(
    chats.linkChat({
      code: "ZZZZZZZZ",
      chatId: "-1007399",
      chatType: "GROUP",
      fromTelegramUserId: TRADER,
    }),
  ).rejects.toMatchObject({ key: "error-chat-link-code-unknown" });

  const main = await paperPortfolio(world, tess, { name: "Main", cash: "100000" });
  const swing = await portfolios.createPortfolio(tess, {
    accountId: main.accountId,
    name: "Swing",
  });
  await cash.transfer(tess, {
    fromPortfolioId: main.id,
    toPortfolioId: swing.id,
    amount: d(EXACT),
  });
  await cash.deposit(tess, main.id, d(TINY));
  await cash.withdraw(tess, swing.id, d("100"));

  const strategy = await services.strategies.save(tess, "Momentum", {
    lookback: 20,
    threshold: "0.015",
    weights: [0.25, 0.75],
  });
  // a strategy running on Main: an instance, its per-symbol state and its run
  await services.strategies.save(tess, "Trend", { kind: "ma-cross" });
  await services.strategyInstances.start(tess, {
    strategyName: "Trend",
    portfolioId: main.id,
    symbols: ["BTCUSDT"],
  });
  const order = (patch: Partial<Parameters<typeof trading.place>[1]>) => ({
    portfolioId: main.id,
    symbol: "ETHUSDT",
    side: "BUY" as const,
    type: "MARKET" as const,
    quantity: d("1"),
    ...patch,
  });
  // FILLED (one with a strategy, one sold back in part: realized PnL)
  await trading.place(tess, order({ quantity: d("1.5"), strategyId: strategy.id }));
  await trading.place(tess, order({ symbol: "BTCUSDT", quantity: d("0.05") }));
  await trading.place(tess, order({ side: "SELL", quantity: d("0.5"), strategyId: strategy.id }));
  // NEW (resting) and CANCELED
  await trading.place(tess, order({ type: "LIMIT", price: d("2500") }));
  const canceled = await trading.place(
    tess,
    order({ symbol: "BTCUSDT", type: "LIMIT", price: d("40000"), quantity: d("0.01") }),
  );
  await trading.cancel(tess, canceled.order.id);
  // PARTIALLY_FILLED (thin volume), then EXPIRED (IOC in the same thin minute)
  // a new minute (the venue's volume budget is per minute), with thin volume: 1 ETH a minute
  world.clock.advance(60_000);
  market.volume("ETHUSDT", "4");
  await trading.place(tess, order({ quantity: d("2.5") }));
  await trading.place(tess, order({ quantity: d("3"), timeInForce: "IOC" }));
  // the sync job writes the account's fill cursor; in the same thin minute the order stays partial
  await orderSync.runOnce();
  // REJECTED: a venue that does not list what it is sent
  const rejecting = createTradingWorld(source.db, {
    gatewaySource: (registry) => ({
      async forAccount(accountId: number): Promise<BrokerGateway> {
        const real = await registry.forAccount(accountId);
        return new Proxy(real, {
          get(target, key, receiver) {
            if (key !== "placeOrder") return Reflect.get(target, key, receiver);
            return (req: Parameters<BrokerGateway["placeOrder"]>[0]) =>
              target.placeOrder({ ...req, symbol: "DELISTEDUSDT" });
          },
        });
      },
    }),
  });
  rejecting.market.volume("ETHUSDT", "1000");
  const rejected = await rejecting.trading.place(
    tess,
    order({ portfolioId: swing.id, quantity: d("0.1") }),
  );
  expect(rejected.order.status).toBe("REJECTED");

  // risk: a policy and the breach of a blocked order
  await services.riskPolicies.create(tess, {
    scope: "USER",
    name: "Caps",
    config: { maxExposurePerAssetPct: { limit: "1", action: "block" } },
  });
  // the services' trading path runs the user's risk policies before placing
  const blocked = await services.trading
    .place(tess, order({ portfolioId: swing.id, symbol: "BTCUSDT", quantity: d("0.01") }))
    .catch((e: unknown) => e);
  expect(blocked).toBeInstanceOf(RiskBlockedError);

  await services.alerts.createFromText(tess, "position ETHUSDT pnl -100000", "Deep");
  await services.screeners.create(tess, {
    name: "Any",
    config: {
      universe: { kind: "SYMBOLS", symbols: ["ETHUSDT"] },
      interval: "1d",
      conditions: [],
      sort: { by: { kind: "PRICE" } },
      limit: 1,
    },
  });
  await services.schedules.create(tess, {
    name: "Evening book",
    target: { kind: "PORTFOLIO_SUMMARY", portfolioId: main.id },
    when: { preset: "evenings" },
  });
  // a report with a chart (bytes) and buttons (JSON) waiting in the outbox
  await services.notifications.enqueue(source.db.prisma, {
    userId: tess.id,
    type: "REPORT",
    severity: "INFO",
    title: "Evening book",
    message: "<b>Main</b>: 2 positions",
    format: "html",
    dedupeKey: "report:evening:2026-03-10",
    attachment: { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]), fileName: "book.png" },
    replyMarkup: { inline_keyboard: [[{ text: "Open", callback_data: "pf:1" }]] },
  });
  // daily PnL checkpoints of the closed days (the pnl-checkpoints job's work)
  world.clock.advance(2 * 86_400_000);
  expect((await services.checkpoints.writeClosedDays()).days).toBeGreaterThan(0);
  // written by grammY's session storage and by the data-migration runner, not by a service
  const prisma = source.db.prisma;
  await prisma.session.create({
    data: { key: "7399", value: JSON.stringify({ __language_code: "ru", step: 2 }) },
  });
  await prisma.dataMigration.create({
    data: { name: "cash-per-portfolio-chains", doneAt: world.clock.now() },
  });
  // an encrypted API key's row: opaque base64 to the copy (the service needs a master key)
  const account = await prisma.account.findFirstOrThrow({ orderBy: { id: "asc" } });
  await prisma.accountCredential.create({
    data: {
      accountId: account.id,
      keyId: "0a1b2c3d",
      nonce: Buffer.alloc(12, 7).toString("base64"),
      tag: Buffer.alloc(16, 9).toString("base64"),
      ciphertext: Buffer.from("not a real key, only bytes").toString("base64"),
    },
  });
}

describe("db:copy from SQLite to PostgreSQL", { timeout: 180_000 }, () => {
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(async () => {
    source = await createTestDatabase("sqlite");
    await populate(source);
    target = await emptyPostgres();
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it("starts from a database where every model has rows and orders have every status", async () => {
    const prisma = source.db.prisma;
    const empty: string[] = [];
    // every model of the schema, read from the generated client: a new model fails here until
    // populate() writes it
    for (const model of Object.values(Prisma.ModelName)) {
      const delegate = model.charAt(0).toLowerCase() + model.slice(1);
      const count = await (prisma as unknown as Record<string, { count(): Promise<number> }>)[
        delegate
      ]!.count();
      if (count === 0) empty.push(model);
    }
    expect(empty).toEqual([]);
    const statuses = (await prisma.order.groupBy({ by: ["status"] })).map((g) => g.status).sort();
    expect(statuses).toEqual(Object.values(OrderStatus).sort());
  });

  it("the CLI's dry run prints the plan and the counts and writes nothing", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "scripts/db/copy.ts", "--to", target.url, "--dry-run"],
      { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: source.url } },
    );
    expect(stdout).toContain("target: no tables yet; it is migrated first");
    const orders = await source.db.prisma.order.count();
    expect(stdout).toMatch(new RegExp(`\\d+\\. orders +${orders} rows`));
    // parents before children
    expect(stdout.indexOf(" users ")).toBeLessThan(stdout.indexOf(" portfolios "));
    expect(stdout.indexOf(" portfolios ")).toBeLessThan(stdout.indexOf(" orders "));
    expect(stdout.indexOf(" orders ")).toBeLessThan(stdout.indexOf(" trades "));
    expect(stdout).toContain("deferred (set after all rows are in): users(approvedById) → users");
    expect(stdout).toContain("dry run: nothing was written");
    expect(await tableCount(target.url)).toBe(0);
  });

  it("copies every table exactly, and the verification passes", async () => {
    const lines: string[] = [];
    const report = await copyDatabase({
      sourceUrl: source.url,
      targetUrl: target.url,
      batchRows: 7, // several batches per table, and a short last one
      log: (l) => lines.push(l),
    });
    expect(report.migrated).toBe(true);
    expect(report.verification?.ok, lines.join("\n")).toBe(true);
    expect(report.verification!.tables.every((t) => t.sourceRows === t.targetRows)).toBe(true);
    expect(report.verification!.tables.length).toBe(Object.values(Prisma.ModelName).length);
    expect(lines).toContain("verification passed");

    // independently of the copy's own canonical form: every row of every model through Prisma
    expect(await fingerprint(target.db)).toEqual(await fingerprint(source.db));
    // exact digits and milliseconds
    const tiny = await target.db.prisma.cashTransaction.findFirst({
      where: { type: "DEPOSIT", amount: TINY },
    });
    expect(d(String(tiny?.amount)).toFixed()).toBe(TINY);
    const firstTrade = await source.db.prisma.trade.findFirstOrThrow({ orderBy: { id: "asc" } });
    const copied = await target.db.prisma.trade.findUniqueOrThrow({ where: { id: firstTrade.id } });
    expect(copied.execTime.toISOString()).toBe(firstTrade.execTime.toISOString());
    expect(copied.meta).toEqual(firstTrade.meta);

    // sequences continue after the copied ids
    const maxAudit = await target.db.prisma.auditLog.aggregate({ _max: { id: true } });
    const next = await target.db.prisma.auditLog.create({
      data: { entityType: "TEST", action: "SEQUENCE", details: {} },
    });
    expect(next.id).toBe(maxAudit._max.id! + 1);
    await target.db.prisma.auditLog.delete({ where: { id: next.id } });
  });

  it("a changed decimal on the target fails the verification, naming the table", async () => {
    const pos = await target.db.prisma.position.findFirstOrThrow({ orderBy: { id: "asc" } });
    const bump = (sign: string) =>
      target.db.prisma.$executeRawUnsafe(
        `UPDATE positions SET "realizedPnl" = "realizedPnl" ${sign} 0.000000000000000001 WHERE id = $1`,
        pos.id,
      );
    await bump("+");
    const report = await verifyCopy(source.url, target.url);
    expect(report.ok).toBe(false);
    expect(report.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(["positions"]);
    expect(report.tables.find((t) => t.table === "positions")).toMatchObject({
      sourceRows: report.tables.find((t) => t.table === "positions")!.targetRows,
    });
    await bump("-");
    expect((await verifyCopy(source.url, target.url)).ok).toBe(true);
  });

  it("refuses a target that is not empty, and writes nothing to it", async () => {
    const before = await fingerprint(target.db);
    const error = await copyDatabase({ sourceUrl: source.url, targetUrl: target.url }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CopyRefusedError);
    expect((error as Error).message).toMatch(/target database is not empty \(rows in .*users/);
    expect(await fingerprint(target.db)).toEqual(before);
  });

  it("refuses a value PostgreSQL would round, before writing a row", async () => {
    const odd = await createTestDatabase("sqlite");
    const empty = await emptyPostgres();
    try {
      // 19 decimal places: NUMERIC(38, 18) would round it
      await odd.db.prisma.$executeRawUnsafe(
        `UPDATE instruments SET "tickSize" = '0.0000000000000000001' WHERE symbol = 'ETHUSDT'`,
      );
      const error = await copyDatabase({ sourceUrl: odd.url, targetUrl: empty.url }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CopyRefusedError);
      expect((error as Error).message).toMatch(
        /instruments\.tickSize \(row \d+\): 0\.0000000000000000001 has more than 18 decimal places; nothing was copied/,
      );
      // migrated by the attempt, but empty: the copy can run again once the value is fixed
      expect(await empty.db.prisma.broker.count()).toBe(0);
      expect(await empty.db.prisma.instrument.count()).toBe(0);
    } finally {
      await odd.drop();
      await empty.drop();
    }
  });

  it("the bot on the copy answers /positions, /pnl and /orders as it does on SQLite", async () => {
    const answers = async (database: TestDatabase) => {
      const h = await startHarness({
        database,
        clock: new ManualClock("2026-03-10T15:00:00Z"),
        // no job may change the data between the two runs
        env: { JOBS_ENABLED: "false" },
      });
      try {
        const user = h.twin.user({ id: TRADER, first_name: "Tess", language_code: "en" });
        const out: string[] = [];
        for (const command of ["/positions", "/pnl", "/orders"]) {
          const m = await ask(h, user, command);
          out.push(m.text ?? m.caption ?? "");
        }
        return out;
      } finally {
        await h.stop();
      }
    };
    const onSqlite = await answers(source);
    const onPostgres = await answers(target);
    expect(onSqlite[0]).toContain("ETHUSDT");
    expect(onSqlite[0]).toContain("Momentum v1");
    expect(onSqlite[2]).toContain("partly filled");
    expect(onSqlite[2]).toMatch(/Limit 2,500/); // the resting limit
    expect(onPostgres).toEqual(onSqlite);
  });
});
