// npm run replay-fills < fills.jsonl
//
// Replays fills through the real domain services and prints the resulting positions: a way to
// check a broker export, a bug report or a hand calculation against the position calculator and
// the database code that production runs.
//
// Input, one JSON object per line (blank lines are skipped):
//   {"portfolio":"p1","symbol":"BTCUSDT","side":"BUY","qty":"0.5","price":"43000.10","fee":"0.2",
//    "tradeId":"t1","strategy":null}
// portfolio, symbol, side, qty, price and tradeId are required; fee defaults to "0" and strategy
// to null (manual trading). Decimals must be JSON strings: a JSON number may already have lost
// digits on its way into the file, so it is refused. symbol must be in the built-in instrument
// catalog; side is BUY or SELL; qty and price are positive, fee is not negative, all with at
// most 18 decimal places and 20 integer digits. A repeated tradeId in the same portfolio is the
// same fill reported twice: it is ignored, as ingestion is idempotent.
//
// Every line is checked before anything is replayed. On the first bad line the tool exits with
// code 2 and a message naming the line and the problem, without printing any position.
//
// The replay runs in a fresh temporary SQLite database (migrated and seeded like the app's own),
// deleted at exit: one approved user, one PAPER account and one portfolio per distinct portfolio
// name, one strategy per distinct strategy name, then TradeService.ingestFill for each line in
// order, as the system. Output, one JSON object per position, flat ones included (their realized
// PnL still counts), sorted by portfolio, symbol, strategy (no strategy first; plain code-unit
// order), decimals as canonical strings (no exponent, no trailing zeros):
//   {"portfolio":"p1","symbol":"BTCUSDT","strategy":null,"qty":"0.5","avgPrice":"43000.1",
//    "realizedPnl":"0","fees":"0.2"}
// A summary goes to stderr.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../src/db/client.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { seedReferenceData } from "../src/db/seed.ts";
import { DomainError } from "../src/domain/errors.ts";
import { MAX_NAME_LENGTH } from "../src/domain/names.ts";
import { createServices } from "../src/domain/services.ts";
import { SYSTEM, toActor } from "../src/domain/users/actor.ts";
import { ManualClock } from "../src/lib/clock.ts";
import { type Decimal, Decimal as Dec, STORAGE_SCALE, ZERO, toDb } from "../src/lib/decimal.ts";
import { INSTRUMENT_CATALOG } from "../src/market/catalog.ts";
import { OfflineMarketData } from "../src/market/offline/offline-market-data.ts";
import { normalizeSymbol, suggestSymbols } from "../src/market/symbols.ts";

export interface FillLine {
  /** 1-based line number in the input */
  line: number;
  portfolio: string;
  symbol: string;
  side: "BUY" | "SELL";
  qty: Decimal;
  price: Decimal;
  fee: Decimal;
  tradeId: string;
  strategy: string | null;
}

export interface ReplayedPosition {
  portfolio: string;
  symbol: string;
  strategy: string | null;
  qty: string;
  avgPrice: string;
  realizedPnl: string;
  fees: string;
}

export interface ReplaySummary {
  fills: number;
  duplicates: number;
  portfolios: number;
  strategies: number;
}

/** A malformed input line; the message names the line and what is wrong with it. */
export class ReplayInputError extends Error {
  override name = "ReplayInputError";
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

const FIELDS = ["portfolio", "symbol", "side", "qty", "price", "fee", "tradeId", "strategy"];
const REQUIRED = ["portfolio", "symbol", "side", "qty", "price", "tradeId"];
const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const STORAGE_LIMIT = new Dec("1e20");
const MAX_TRADE_ID = 128;
const CATALOG_SYMBOLS = INSTRUMENT_CATALOG.map((i) => i.symbol);

function decimalField(
  line: number,
  field: string,
  value: unknown,
  rule: "positive" | "non-negative",
): Decimal {
  if (typeof value === "number") {
    throw new ReplayInputError(
      line,
      `"${field}" is the JSON number ${String(value)}: write decimals as strings ` +
        `("${field}":"${String(value)}"), a JSON number may already have lost digits`,
    );
  }
  if (typeof value !== "string") {
    throw new ReplayInputError(line, `"${field}" must be a decimal string, got ${jsonType(value)}`);
  }
  if (!PLAIN_DECIMAL.test(value)) {
    throw new ReplayInputError(
      line,
      `"${field}" is not a decimal number: ${JSON.stringify(value)} (digits with an optional ` +
        "sign and decimal point, no exponent)",
    );
  }
  const d = new Dec(value);
  if (rule === "positive" ? !d.gt(0) : d.isNeg()) {
    const what = rule === "positive" ? "must be positive" : "must not be negative";
    throw new ReplayInputError(line, `"${field}" ${what}, got ${JSON.stringify(value)}`);
  }
  if (d.decimalPlaces() > STORAGE_SCALE) {
    throw new ReplayInputError(
      line,
      `"${field}" has more than ${STORAGE_SCALE} decimal places: ${JSON.stringify(value)}`,
    );
  }
  if (d.abs().gte(STORAGE_LIMIT)) {
    throw new ReplayInputError(
      line,
      `"${field}" is too large (at most 20 integer digits): ${JSON.stringify(value)}`,
    );
  }
  return d;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** A portfolio or strategy name as the services will store it (see src/domain/names.ts). */
function nameField(line: number, field: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new ReplayInputError(line, `"${field}" must be a string, got ${jsonType(value)}`);
  }
  const name = value.replace(/\s+/g, " ").trim();
  if (!name) throw new ReplayInputError(line, `"${field}" is empty`);
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new ReplayInputError(line, `"${field}" contains control characters`);
  }
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new ReplayInputError(line, `"${field}" is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return name;
}

/** Parses and checks one input line (its text without the line break). */
export function parseFillLine(text: string, line: number): FillLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReplayInputError(line, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ReplayInputError(
      line,
      `expected a JSON object such as {"portfolio":"p1","symbol":"BTCUSDT","side":"BUY",...}, got ${jsonType(value)}`,
    );
  }
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !FIELDS.includes(k));
  if (unknown.length) {
    throw new ReplayInputError(
      line,
      `unknown field "${unknown[0]}" (the fields are ${FIELDS.join(", ")})`,
    );
  }
  const missing = REQUIRED.filter((k) => o[k] === undefined);
  if (missing.length) throw new ReplayInputError(line, `missing field "${missing[0]}"`);

  const portfolio = nameField(line, "portfolio", o.portfolio);
  if (typeof o.symbol !== "string") {
    throw new ReplayInputError(line, `"symbol" must be a string, got ${jsonType(o.symbol)}`);
  }
  const wanted = normalizeSymbol(o.symbol);
  const symbol = CATALOG_SYMBOLS.find((s) => s === wanted);
  if (!symbol) {
    const close = suggestSymbols(o.symbol, CATALOG_SYMBOLS);
    throw new ReplayInputError(
      line,
      `unknown symbol ${JSON.stringify(o.symbol)}: not in the built-in instrument catalog` +
        (close.length ? ` (did you mean ${close.join(", ")}?)` : ""),
    );
  }
  if (o.side !== "BUY" && o.side !== "SELL") {
    throw new ReplayInputError(
      line,
      `"side" must be "BUY" or "SELL", got ${JSON.stringify(o.side)}`,
    );
  }
  const qty = decimalField(line, "qty", o.qty, "positive");
  const price = decimalField(line, "price", o.price, "positive");
  const fee = o.fee === undefined ? ZERO : decimalField(line, "fee", o.fee, "non-negative");
  if (typeof o.tradeId !== "string" || !o.tradeId.trim()) {
    throw new ReplayInputError(
      line,
      `"tradeId" must be a non-empty string, got ${typeof o.tradeId === "string" ? "an empty one" : jsonType(o.tradeId)}`,
    );
  }
  if (o.tradeId.length > MAX_TRADE_ID) {
    throw new ReplayInputError(line, `"tradeId" is longer than ${MAX_TRADE_ID} characters`);
  }
  const strategy =
    o.strategy === undefined || o.strategy === null
      ? null
      : nameField(line, "strategy", o.strategy);
  return { line, portfolio, symbol, side: o.side, qty, price, fee, tradeId: o.tradeId, strategy };
}

/**
 * Parses the whole input. Names are case-insensitive in the domain (two portfolios "P1" and "p1"
 * cannot coexist; a strategy saved again under another case becomes a new version), so names
 * that differ only in case are refused instead of being merged silently.
 */
export function parseFills(input: string): FillLine[] {
  const fills: FillLine[] = [];
  const spelling = {
    portfolio: new Map<string, FillLine>(),
    strategy: new Map<string, FillLine>(),
  };
  input
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((text, i) => {
      if (!text.trim()) return;
      const fill = parseFillLine(text, i + 1);
      for (const kind of ["portfolio", "strategy"] as const) {
        const name = fill[kind];
        if (name === null) continue;
        const first = spelling[kind].get(name.toLowerCase());
        if (!first) spelling[kind].set(name.toLowerCase(), fill);
        else if (first[kind] !== name) {
          throw new ReplayInputError(
            fill.line,
            `${kind} "${name}" differs only in case from "${first[kind]}" (line ${first.line}); ` +
              `${kind} names are case-insensitive`,
          );
        }
      }
      fills.push(fill);
    });
  return fills;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function comparePositions(a: ReplayedPosition, b: ReplayedPosition): number {
  return (
    compareText(a.portfolio, b.portfolio) ||
    compareText(a.symbol, b.symbol) ||
    (a.strategy === b.strategy
      ? 0
      : a.strategy === null
        ? -1
        : b.strategy === null
          ? 1
          : compareText(a.strategy, b.strategy))
  );
}

/** Replays checked fills into a fresh temporary SQLite database and returns the positions. */
export async function replayIntoFreshDatabase(
  fills: readonly FillLine[],
): Promise<{ positions: ReplayedPosition[]; summary: ReplaySummary }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-replay-"));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  // a signal ends the process without running finally blocks: remove the database anyway
  process.once("exit", removeDir);
  const url = `file:${path.join(dir, "replay.db")}`;
  try {
    await applyMigrations(url);
    const database = openDatabase(url);
    try {
      await seedReferenceData(database.prisma);
      return await replayWith(database, fills);
    } finally {
      await database.close();
    }
  } finally {
    removeDir();
    process.removeListener("exit", removeDir);
  }
}

async function replayWith(
  database: ReturnType<typeof openDatabase>,
  fills: readonly FillLine[],
): Promise<{ positions: ReplayedPosition[]; summary: ReplaySummary }> {
  const clock = new ManualClock(Date.now());
  const market = new OfflineMarketData({ clock });
  const services = createServices(database, {
    clock,
    market,
    // the replay places no orders and marks nothing, but the services are built complete
    prices: {
      lastPrice: async (symbol: string) => (await market.quote(symbol)).last,
      priceAt: async (symbol: string, at: Date) =>
        (await market.candles(symbol, "1m", { to: at, limit: 1 }))[0]?.close ?? null,
    },
    users: { adminTelegramIds: ["1"], maxUsers: 1, supportedLanguages: ["en"] },
  });
  // the one user: a configured admin is approved from the first start
  const actor = toActor(
    await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "Replay" }),
  );

  const portfolioIds = new Map<string, number>();
  const strategyIds = new Map<string, number>();
  for (const fill of fills) {
    if (!portfolioIds.has(fill.portfolio)) {
      const account = await services.portfolios.createAccount(actor, {
        brokerCode: "PAPER",
        name: `account ${portfolioIds.size + 1}`,
        baseCurrency: "USD",
      });
      const portfolio = await services.portfolios.createPortfolio(actor, {
        accountId: account.id,
        name: fill.portfolio,
      });
      portfolioIds.set(fill.portfolio, portfolio.id);
    }
    if (fill.strategy !== null && !strategyIds.has(fill.strategy)) {
      const strategy = await services.strategies.save(actor, fill.strategy, {});
      strategyIds.set(fill.strategy, strategy.id);
    }
  }

  let duplicates = 0;
  for (const fill of fills) {
    try {
      const result = await services.trades.ingestFill(SYSTEM, {
        portfolioId: portfolioIds.get(fill.portfolio)!,
        symbol: fill.symbol,
        side: fill.side,
        quantity: fill.qty,
        price: fill.price,
        fee: fill.fee,
        // one second apart, in input order (positions follow ingestion order in any case)
        execTime: clock.advance(1000),
        brokerTradeId: fill.tradeId,
        strategyId: fill.strategy === null ? null : strategyIds.get(fill.strategy)!,
      });
      if (result.duplicate) duplicates++;
    } catch (e) {
      if (e instanceof DomainError) throw new ReplayInputError(fill.line, `refused: ${e.message}`);
      throw e;
    }
  }

  const positions: ReplayedPosition[] = [];
  for (const [portfolio, id] of portfolioIds) {
    for (const p of await services.positions.snapshot(actor, id, { includeFlat: true })) {
      positions.push({
        portfolio,
        symbol: p.symbol,
        strategy: p.strategyName,
        qty: toDb(p.quantity),
        avgPrice: toDb(p.avgPrice),
        realizedPnl: toDb(p.realizedPnl),
        fees: toDb(p.fees),
      });
    }
  }
  positions.sort(comparePositions);
  return {
    positions,
    summary: {
      fills: fills.length,
      duplicates,
      portfolios: portfolioIds.size,
      strategies: strategyIds.size,
    },
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<void> {
  // exit (and so remove the temporary database, see replayIntoFreshDatabase) on Ctrl-C or kill
  process.once("SIGINT", () => process.exit(130));
  process.once("SIGTERM", () => process.exit(143));
  let fills: FillLine[];
  try {
    fills = parseFills(await readStdin());
  } catch (e) {
    if (!(e instanceof ReplayInputError)) throw e;
    process.stderr.write(`replay-fills: ${e.message}\n`);
    process.exit(2);
  }
  try {
    const { positions, summary } = await replayIntoFreshDatabase(fills);
    process.stdout.write(positions.map((p) => JSON.stringify(p) + "\n").join(""));
    process.stderr.write(
      `replay-fills: ${summary.fills} fills (${summary.duplicates} duplicate trade ids ignored), ` +
        `${summary.portfolios} portfolios, ${summary.strategies} strategies, ${positions.length} positions\n`,
    );
  } catch (e) {
    if (!(e instanceof ReplayInputError)) throw e;
    process.stderr.write(`replay-fills: ${e.message}\n`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
