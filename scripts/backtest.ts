// npm run backtest -- --strategy FILE.json (--candles FILE.csv | --symbol S --from D --to D)
//                     [--symbol S] [--cash 10000] [--tick T --lot L] [--json]
//
// Runs a strategy over historical candles with the backtest engine the bot uses and prints its
// trades and figures: a readable table, or with --json one JSON document (the same inputs always
// give the same bytes).
//
// --strategy  a JSON file holding what a strategy version stores: {"kind":"ma-cross", ...params}
// --candles   a CSV file `time,open,high,low,close,volume` (ISO UTC open times) of the strategy's
//             timeframe; --symbol then only names it (default CSV), with the rules of the
//             catalog's instrument of that name when there is one; otherwise --tick and --lot
//             (default 0.00000001 each) are its tick and lot size
// --symbol S --from D --to D   candles from the configured market data (MARKET_DATA, offline by
//             default; a live exchange is read page by page and cached under CANDLE_CACHE_DIR,
//             default data/candles). D is a date (2026-01-01, UTC) or an ISO time; the lookback
//             before D is fetched as well so the strategy trades from D
// --cash      starting cash in the quote currency (default 10000)
// Fees and slippage are the paper venue's (PAPER_FEE_BPS, PAPER_SLIPPAGE_BPS).
// Exit codes: 0 done, 2 bad arguments or input.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { type Decimal, dec, parseDecimal } from "../src/lib/decimal.ts";
import { candleHistory } from "../src/market/candle-history.ts";
import { createMarketData } from "../src/market/source.ts";
import { type Candle, intervalMs, normalizeSymbol } from "../src/market/types.ts";
import { INSTRUMENT_CATALOG } from "../src/market/catalog.ts";
import { BacktestInputError, runBacktest } from "../src/strategies/backtest/engine.ts";
import { CsvCandleError, parseCandleCsv } from "../src/strategies/backtest/csv-candles.ts";
import { ValidationError } from "../src/domain/errors.ts";
import {
  backtestCosts,
  backtestInstrument,
  resolveStrategy,
} from "../src/strategies/backtest/prepare.ts";
import { type BacktestReport, toReport } from "../src/strategies/backtest/report.ts";
import type { BacktestInstrument } from "../src/strategies/backtest/types.ts";

class UsageError extends Error {}

const USAGE =
  "usage: npm run backtest -- --strategy FILE.json (--candles FILE.csv | --symbol S --from D --to D) [--cash N] [--tick T --lot L] [--json]";

function parseTime(text: string, name: string): Date {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`--${name}: "${text}" is not a date`);
  return new Date(ms);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON`);
  }
}

const FINE = dec("0.00000001");

function step(text: string | undefined, name: string): Decimal {
  if (text === undefined) return FINE;
  const v = parseDecimal(text);
  if (!v || !v.gt(0)) throw new UsageError(`--${name} must be a positive number`);
  return v;
}

function csvInstrument(symbol: string, tick?: string, lot?: string): BacktestInstrument {
  const spec = INSTRUMENT_CATALOG.find((s) => s.symbol === normalizeSymbol(symbol));
  if (spec) return backtestInstrument(spec);
  const lotSize = step(lot, "lot");
  return { symbol, tickSize: step(tick, "tick"), lotSize, minQty: lotSize };
}

export async function main(argv: string[]): Promise<{ code: number; out: string }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      strategy: { type: "string" },
      candles: { type: "string" },
      symbol: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      cash: { type: "string" },
      tick: { type: "string" },
      lot: { type: "string" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (!values.strategy) throw new UsageError(`--strategy is required\n${USAGE}`);
  const { definition, params } = resolveStrategy(readJson(values.strategy));
  const timeframe = definition.timeframe(params);
  const cash: Decimal | null = parseDecimal(values.cash ?? "10000");
  if (!cash || !cash.gt(0)) throw new UsageError(`--cash must be a positive number`);

  let candles: Candle[];
  let instrument: BacktestInstrument;
  if (values.candles) {
    let text: string;
    try {
      text = fs.readFileSync(values.candles, "utf8");
    } catch {
      throw new UsageError(`cannot read ${values.candles}`);
    }
    candles = parseCandleCsv(text, timeframe);
    instrument = csvInstrument(values.symbol ?? "CSV", values.tick, values.lot);
  } else {
    if (!values.symbol || !values.from || !values.to)
      throw new UsageError(`give --candles FILE.csv, or --symbol with --from and --to\n${USAGE}`);
    const from = parseTime(values.from, "from");
    const to = parseTime(values.to, "to");
    if (from >= to) throw new UsageError("--from must be before --to");
    const market = await createMarketData({
      source: (process.env.MARKET_DATA ?? "offline").trim().toLowerCase(),
      seed: process.env.MARKET_DATA_SEED ?? "tradedesk",
      apiUrl: process.env.EXCHANGE_API_URL,
      clock: () => new Date(),
    });
    const symbol = normalizeSymbol(values.symbol);
    const spec = (await market.instruments()).find((s) => s.symbol === symbol);
    if (!spec) throw new UsageError(`${market.name} does not list ${values.symbol}`);
    instrument = backtestInstrument(spec);
    const warmUp = (definition.lookback(params) - 1) * intervalMs(timeframe);
    candles = await candleHistory(
      market,
      symbol,
      timeframe,
      new Date(from.getTime() - Math.max(0, warmUp)),
      to,
      {
        now: new Date(),
        cacheDir: path.resolve(process.env.CANDLE_CACHE_DIR || "data/candles"),
      },
    );
  }
  const result = runBacktest({
    definition,
    params,
    instrument,
    candles,
    initialCash: cash,
    costs: backtestCosts({
      ...(process.env.PAPER_FEE_BPS
        ? { takerFeeBps: process.env.PAPER_FEE_BPS, makerFeeBps: process.env.PAPER_FEE_BPS }
        : {}),
      ...(process.env.PAPER_SLIPPAGE_BPS ? { slippageBps: process.env.PAPER_SLIPPAGE_BPS } : {}),
    }),
  });
  const report = toReport(result);
  return { code: 0, out: values.json ? JSON.stringify(report, null, 2) : renderText(report) };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The strategy's own validation, in plain English for the terminal (the bot translates it). */
function describeValidation(e: ValidationError): string {
  const p = e.params;
  if (e.key === "error-strategy-kind-unknown")
    return `unknown strategy kind "${p.value}" (kinds: ${p.kinds})`;
  if (e.key === "error-strategy-params-object") return "the strategy file must hold a JSON object";
  const detail = Object.entries(p)
    .filter(([k]) => k !== "field" && k !== "param")
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return `invalid strategy parameter "${p.param ?? p.field}" (${e.key.replace(/^error-strategy-param-/, "")}${detail ? `: ${detail}` : ""})`;
}

export function renderText(r: BacktestReport): string {
  const m = r.metrics;
  const orDash = (v: string | number | null) => (v === null ? "—" : String(v));
  const metrics = table([
    ["symbol", `${r.symbol} ${r.timeframe}`],
    ["period", `${r.from} → ${r.to} (${r.candles} candles)`],
    ["start cash", m.initialCash],
    ["final equity", m.finalEquity],
    ["total return %", m.totalReturnPct],
    ["buy & hold %", m.buyHoldReturnPct],
    ["CAGR %", orDash(m.cagrPct)],
    ["max drawdown %", m.maxDrawdownPct],
    ["max drawdown", m.maxDrawdownAmount],
    ["Sharpe", orDash(m.sharpe)],
    ["Sortino", orDash(m.sortino)],
    ["trades", String(m.trades)],
    ["win rate %", orDash(m.winRatePct)],
    ["average win", orDash(m.averageWin)],
    ["average loss", orDash(m.averageLoss)],
    ["exposure %", m.exposurePct],
    ["fees paid", m.feesPaid],
    ["skipped intents", String(m.skippedIntents)],
  ]);
  const trades = r.trades.length
    ? table([
        ["#", "opened", "closed", "quantity", "net", "fees"],
        ...r.trades.map((t, i) => [
          String(i + 1),
          t.openedAt,
          t.closedAt,
          t.quantity,
          t.net,
          t.fees,
        ]),
      ])
    : "no closed trades";
  const open = r.openTrade
    ? `\nstill open: ${r.openTrade.quantity} since ${r.openTrade.openedAt}`
    : "";
  return `${metrics}\n\nTrades\n${trades}${open}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const { code, out } = await main(process.argv.slice(2));
    process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
    process.exit(code);
  } catch (e) {
    const known =
      e instanceof UsageError ||
      e instanceof CsvCandleError ||
      e instanceof BacktestInputError ||
      (e instanceof TypeError && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"));
    if (e instanceof ValidationError) {
      process.stderr.write(`backtest: ${describeValidation(e)}\n`);
      process.exit(2);
    }
    if (!known) throw e;
    process.stderr.write(`backtest: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
