// Hand-built snapshots for the pure rule tests: every figure set explicitly, so the expected
// numbers in the tables can be worked out on paper.
import type { TradingRules } from "../../../src/domain/instruments/trading-rules.ts";
import type { PortfolioRiskSnapshot } from "../../../src/domain/risk/risk-snapshot.ts";
import { Decimal, sumDec } from "../../../src/lib/decimal.ts";

export const d = (v: string | number) => new Decimal(v);

export interface Holding {
  instrumentId: number;
  symbol: string;
  quantity: string;
  price: string;
  strategyId?: number | null;
}

export function snapshot(
  opts: {
    cash?: string;
    holdings?: Holding[];
    dayPnl?: string;
    dayFlows?: string;
    ordersToday?: number;
  } = {},
): PortfolioRiskSnapshot {
  const assets = (opts.holdings ?? []).map((h) => ({
    instrumentId: h.instrumentId,
    symbol: h.symbol,
    quantity: d(h.quantity),
    price: d(h.price),
    value: d(h.quantity).mul(h.price),
    strategyIds: [h.strategyId ?? null],
  }));
  const cash = d(opts.cash ?? "10000");
  const positionsValue = sumDec(assets.map((a) => a.value));
  const equity = cash.plus(positionsValue);
  const dayPnl = d(opts.dayPnl ?? "0");
  const dayFlows = d(opts.dayFlows ?? "0");
  return {
    portfolioId: 1,
    portfolioName: "Main",
    userId: 1,
    currency: "USDT",
    timeZone: "UTC",
    at: new Date("2026-03-10T12:00:00Z"),
    dayStart: new Date("2026-03-10T00:00:00Z"),
    cash,
    positionsValue,
    equity,
    grossExposure: sumDec(assets.map((a) => a.value.abs())),
    assets,
    excluded: [],
    unpriced: [],
    dayPnl,
    dayFlows,
    dayStartEquity: equity.minus(dayPnl).minus(dayFlows),
    ordersToday: opts.ordersToday ?? 0,
  };
}

/** ETH-like rules: lot and minimum 0.01, minimum notional 5. */
export const ETH_RULES: TradingRules = {
  symbol: "ETHUSDT",
  tickSize: d("0.01"),
  lotSize: d("0.01"),
  minQty: d("0.01"),
  minNotional: d("5"),
};

export const ETH = 2;
export const BTC = 1;
