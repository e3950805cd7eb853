// Symbol trading rules as Binance publishes them in exchangeInfo (PRICE_FILTER, LOT_SIZE,
// MARKET_LOT_SIZE, NOTIONAL or the older MIN_NOTIONAL, TRAILING_DELTA...) and the checks the
// venue applies to a new order, with its error for each ("Filter failure: LOT_SIZE").
import { Decimal } from "../../../src/lib/decimal.ts";
import { errors } from "./errors.ts";

export interface SymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
  /** the price the symbol starts at */
  price: string;
  /** which notional filter exchangeInfo carries (Binance migrated from MIN_NOTIONAL to NOTIONAL) */
  notionalFilter?: "NOTIONAL" | "MIN_NOTIONAL";
  status?: "TRADING" | "HALT" | "BREAK";
}

export const MAX_PRICE = "1000000.00000000";
export const MAX_QTY = "9000000.00000000";
export const MAX_NOTIONAL = "9000000.00000000";
const MIN_TRAILING = 10;
const MAX_TRAILING = 2000;

/** Binance writes every price and quantity with 8 decimals ("0.01000000"). */
export function fmt8(value: Decimal | string): string {
  return new Decimal(value).toFixed(8);
}

function notionalName(spec: SymbolSpec): "NOTIONAL" | "MIN_NOTIONAL" {
  return spec.notionalFilter ?? "NOTIONAL";
}

export function filtersJson(spec: SymbolSpec): Record<string, unknown>[] {
  const notional =
    notionalName(spec) === "NOTIONAL"
      ? {
          filterType: "NOTIONAL",
          minNotional: fmt8(spec.minNotional),
          applyMinToMarket: true,
          maxNotional: MAX_NOTIONAL,
          applyMaxToMarket: false,
          avgPriceMins: 5,
        }
      : {
          filterType: "MIN_NOTIONAL",
          minNotional: fmt8(spec.minNotional),
          applyToMarket: true,
          avgPriceMins: 5,
        };
  return [
    {
      filterType: "PRICE_FILTER",
      minPrice: fmt8(spec.tickSize),
      maxPrice: MAX_PRICE,
      tickSize: fmt8(spec.tickSize),
    },
    {
      filterType: "LOT_SIZE",
      minQty: fmt8(spec.minQty),
      maxQty: MAX_QTY,
      stepSize: fmt8(spec.stepSize),
    },
    { filterType: "ICEBERG_PARTS", limit: 10 },
    {
      filterType: "MARKET_LOT_SIZE",
      minQty: "0.00000000",
      maxQty: MAX_QTY,
      stepSize: "0.00000000",
    },
    {
      filterType: "TRAILING_DELTA",
      minTrailingAboveDelta: MIN_TRAILING,
      maxTrailingAboveDelta: MAX_TRAILING,
      minTrailingBelowDelta: MIN_TRAILING,
      maxTrailingBelowDelta: MAX_TRAILING,
    },
    notional,
    { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
    { filterType: "MAX_NUM_ALGO_ORDERS", maxNumAlgoOrders: 5 },
  ];
}

export const ORDER_TYPES = [
  "LIMIT",
  "LIMIT_MAKER",
  "MARKET",
  "STOP_LOSS",
  "STOP_LOSS_LIMIT",
  "TAKE_PROFIT",
  "TAKE_PROFIT_LIMIT",
] as const;

export function symbolJson(spec: SymbolSpec): Record<string, unknown> {
  return {
    symbol: spec.symbol,
    status: spec.status ?? "TRADING",
    baseAsset: spec.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: spec.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: [...ORDER_TYPES],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: filtersJson(spec),
    permissions: [],
    permissionSets: [["SPOT"]],
    defaultSelfTradePreventionMode: "EXPIRE_MAKER",
    allowedSelfTradePreventionModes: ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "NONE"],
  };
}

function onStep(value: Decimal, min: Decimal, step: Decimal): boolean {
  return value.minus(min).mod(step).isZero();
}

export function checkPrice(spec: SymbolSpec, price: Decimal): void {
  const tick = new Decimal(spec.tickSize);
  if (price.lt(tick) || price.gt(MAX_PRICE) || !onStep(price, tick, tick)) {
    throw errors.filter("PRICE_FILTER");
  }
}

export function checkQty(spec: SymbolSpec, qty: Decimal): void {
  const minQty = new Decimal(spec.minQty);
  const step = new Decimal(spec.stepSize);
  if (qty.lt(minQty) || qty.gt(MAX_QTY) || !onStep(qty, minQty, step)) {
    throw errors.filter("LOT_SIZE");
  }
}

export function checkNotional(spec: SymbolSpec, notional: Decimal): void {
  if (notional.lt(spec.minNotional) || notional.gt(MAX_NOTIONAL)) {
    throw errors.filter(notionalName(spec));
  }
}

export function checkTrailingDelta(delta: number): void {
  if (!Number.isInteger(delta) || delta < MIN_TRAILING || delta > MAX_TRAILING) {
    throw errors.filter("TRAILING_DELTA");
  }
}
